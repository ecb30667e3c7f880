using System.Globalization;
using PdfSharp.Drawing;
using PdfSharp.Drawing.Layout;
using PdfSharp.Pdf;
using ValDrome.Domain;
using ValDrome.Domain.Services;
using ValDrome.Web.Pages.Equipment;

namespace ValDrome.Web.Pages.Services;

/// <summary>One service of a convention, as printed.</summary>
public sealed record ConventionSheetLine(ServiceKind Service, BillingUnit Unit, decimal Rate, decimal MinimumUnits);

/// <summary>What the summary of a convention prints.</summary>
public sealed record ConventionSheetData(
    string Commune, string Insee, int Year, DateOnly StartsOn, DateOnly EndsOn, string SignedBy, DateOnly? SignedOn,
    decimal RatePerKm, IReadOnlyList<ConventionSheetLine> Lines, DateOnly PrintedOn);

/// <summary>
/// The one-page summary of a commune's convention for a year (A4, PDFsharp with the DejaVu fonts
/// of the QR labels): the parties, the period, who signed, each service at its rate and minimum,
/// travel, and how time is counted. A summary for the mairie's file: the signed convention stays
/// the reference, and the page says so.
/// </summary>
public static class ConventionSheet
{
    private const double Left = 20;
    private const double Width = 170;

    private static readonly CultureInfo French = FrenchCulture.Instance;

    public static byte[] Render(ConventionSheetData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        LabelSheet.UseFonts();
        using var document = new PdfDocument();
        document.Info.Title = $"Convention {data.Year} — services aux communes — {data.Commune}";
        document.Info.Subject = $"Résumé de la convention {data.Year} de {data.Commune} ({data.Insee}) avec la Communauté de communes du Val de Drôme";
        document.Info.Creator = "ValDrome";
        var options = new XPdfFontOptions(PdfFontEncoding.Unicode);
        var small = new XFont(LabelSheet.DejaVuFonts.Family, 8.5, XFontStyleEx.Regular, options);
        var body = new XFont(LabelSheet.DejaVuFonts.Family, 10.5, XFontStyleEx.Regular, options);
        var bold = new XFont(LabelSheet.DejaVuFonts.Family, 10.5, XFontStyleEx.Bold, options);
        var title = new XFont(LabelSheet.DejaVuFonts.Family, 16, XFontStyleEx.Bold, options);
        var page = document.AddPage();
        page.Size = PdfSharp.PageSize.A4;
        using var gfx = XGraphics.FromPdfPage(page);
        var text = new XTextFormatter(gfx);

        var y = 18.0;
        Line(gfx, "Communauté de communes du Val de Drôme — Services aux communes", small, XBrushes.DimGray, y);
        y += 10;
        Line(gfx, $"Convention de mise à disposition des services {data.Year}", title, XBrushes.Black, y);
        y += 9;
        Line(gfx, "Résumé", body, XBrushes.DimGray, y);
        y += 12;

        foreach (var (label, value) in new[]
        {
            ("Commune", $"{data.Commune} (code INSEE {data.Insee})"),
            ("Année", data.Year.ToString(CultureInfo.InvariantCulture)),
            ("Période", $"du {Day(data.StartsOn)} au {Day(data.EndsOn)}"),
            ("Signée par", data.SignedOn is { } signed ? $"{data.SignedBy}, le {Day(signed)}" : $"{data.SignedBy} (date de signature non indiquée)"),
            ("Déplacements", $"{Money(data.RatePerKm)} par km"),
        })
        {
            text.DrawString(label, bold, XBrushes.Black, new XRect(Mm(Left), Mm(y), Mm(36), Mm(6)), XStringFormats.TopLeft);
            text.DrawString(value, body, XBrushes.Black, new XRect(Mm(Left + 38), Mm(y), Mm(Width - 38), Mm(13)), XStringFormats.TopLeft);
            // A long signatory wraps: the next row starts below its last line (with a margin for word breaks).
            var lines = Math.Min(3, Math.Ceiling(gfx.MeasureString(value, body).Width * 1.15 / Mm(Width - 38)));
            y += 3 + 4.5 * lines;
        }

        y += 5;
        Line(gfx, "Services couverts", bold, XBrushes.Black, y);
        y += 4;
        double[] columns = [Left, Left + 64, Left + 120];
        string[] headings = ["Service", "Tarif", "Minimum facturé par intervention"];
        gfx.DrawRectangle(XBrushes.WhiteSmoke, Mm(Left), Mm(y), Mm(Width), Mm(8));
        for (var c = 0; c < columns.Length; c++)
        {
            text.DrawString(headings[c], small, XBrushes.Black, new XRect(Mm(columns[c] + 1.5), Mm(y + 1.2), Mm((c + 1 < columns.Length ? columns[c + 1] : Left + Width) - columns[c] - 3), Mm(7)), XStringFormats.TopLeft);
        }

        y += 8;
        if (data.Lines.Count == 0)
        {
            Line(gfx, "Aucun service : la commune ne peut pas réserver les services aux communes.", body, XBrushes.Black, y + 6);
            y += 10;
        }

        foreach (var line in data.Lines)
        {
            string[] cells =
            [
                ServiceWords.Name(line.Service),
                $"{Money(line.Rate)} par {ServiceWords.Unit(line.Unit)}",
                line.MinimumUnits > 0 ? Quantity(line.MinimumUnits, line.Unit) : "aucun",
            ];
            for (var c = 0; c < columns.Length; c++)
            {
                text.DrawString(cells[c], body, XBrushes.Black, new XRect(Mm(columns[c] + 1.5), Mm(y + 1.8), Mm((c + 1 < columns.Length ? columns[c + 1] : Left + Width) - columns[c] - 3), Mm(10)), XStringFormats.TopLeft);
            }

            y += 11;
            gfx.DrawLine(new XPen(XColors.LightGray, 0.5), Mm(Left), Mm(y), Mm(Left + Width), Mm(y));
        }

        y += 8;
        var rules = "Comment le temps est compté : une demi-journée compte quatre heures (matin 8\u00a0h – 12\u00a0h, après-midi 13\u00a0h\u00a030 – 17\u00a0h\u00a030) "
            + "et une demi-journée commencée est due entière ; les heures sont arrondies au quart d'heure supérieur. Chaque intervention est "
            + "facturée au moins le minimum ci-dessus, plus les kilomètres parcourus au tarif de déplacement. Le temps retenu est celui que la "
            + "commune a confirmé (ou que le pôle a tranché), sinon le créneau réservé. Une demande garde les tarifs en vigueur le jour où elle est faite.";
        text.DrawString(rules, body, XBrushes.Black, new XRect(Mm(Left), Mm(y), Mm(Width), Mm(40)), XStringFormats.TopLeft);

        text.DrawString($"Résumé établi le {Day(data.PrintedOn)} par ValDrome. Seule la convention signée fait foi.",
            small, XBrushes.DimGray, new XRect(Mm(Left), Mm(280), Mm(Width), Mm(8)), XStringFormats.TopLeft);

        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    /// <summary>« 1er janvier 2027 », « 31 décembre 2027 ».</summary>
    public static string Day(DateOnly day) =>
        (day.Day == 1 ? "1er" : day.Day.ToString(CultureInfo.InvariantCulture)) + " " + day.ToString("MMMM yyyy", French);

    public static string Money(decimal amount) => amount.ToString("C", French);

    /// <summary>« 1 demi-journée », « 2 heures », « 1,5 heure »: French puts the plural from two on.</summary>
    public static string Quantity(decimal units, BillingUnit unit) =>
        units.ToString("0.##", French) + " " + FrenchCount.Noun(units, ServiceWords.Unit(unit), ServiceWords.Units(unit));

    private static void Line(XGraphics gfx, string line, XFont font, XBrush brush, double y) =>
        gfx.DrawString(line, font, brush, new XPoint(Mm(Left), Mm(y)));

    private static double Mm(double millimetres) => millimetres * 72 / 25.4;
}
