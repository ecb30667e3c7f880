using PdfSharp.Drawing;
using PdfSharp.Drawing.Layout;
using PdfSharp.Fonts;
using PdfSharp.Pdf;
using QRCoder;

namespace ValDrome.Web.Pages.Equipment;

/// <summary>One label: what it says and where its QR code leads.</summary>
public sealed record UnitLabel(string Name, string Owner, string InventoryCode, string Url);

/// <summary>
/// A4 sheets of 21 labels (3 × 7, 63.5 × 38.1 mm: the common L7160 layout of self-adhesive
/// sheets), each with the unit's QR code, name, owner and inventory code. The QR code is drawn
/// as vector squares, so it stays sharp whatever the printer.
/// </summary>
public static class LabelSheet
{
    private const int Columns = 3;
    private const int Rows = 7;
    private const double LabelWidth = 63.5;
    private const double LabelHeight = 38.1;
    private const double LeftMargin = 7.2;
    private const double TopMargin = 15.1;
    private const double ColumnPitch = 66.0;
    private const double Padding = 2.5;

    public const int PerPage = Columns * Rows;

    private static readonly object FontsLock = new();

    /// <summary>PDFsharp finds no font on Linux by itself: DejaVu Sans from Debian's fonts-dejavu-core (installed by script/bootstrap).</summary>
    internal static void UseFonts()
    {
        lock (FontsLock)
        {
            GlobalFontSettings.FontResolver ??= new DejaVuFonts();
        }
    }

    public static byte[] Render(string title, IReadOnlyList<UnitLabel> labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        UseFonts();
        using var document = new PdfDocument();
        document.Info.Title = title;
        document.Info.Creator = "ValDrome";
        var options = new XPdfFontOptions(PdfFontEncoding.Unicode);
        var nameFont = new XFont(DejaVuFonts.Family, 9.5, XFontStyleEx.Bold, options);
        var textFont = new XFont(DejaVuFonts.Family, 7.5, XFontStyleEx.Regular, options);
        if (labels.Count == 0)
        {
            var page = document.AddPage();
            page.Size = PdfSharp.PageSize.A4;
            using var gfx = XGraphics.FromPdfPage(page);
            gfx.DrawString($"{title} : aucun matériel au catalogue.", nameFont, XBrushes.Black, new XPoint(Mm(20), Mm(30)));
        }

        foreach (var chunk in labels.Chunk(PerPage))
        {
            var page = document.AddPage();
            page.Size = PdfSharp.PageSize.A4;
            using var gfx = XGraphics.FromPdfPage(page);
            var text = new XTextFormatter(gfx);
            for (var i = 0; i < chunk.Length; i++)
            {
                var x = LeftMargin + (i % Columns) * ColumnPitch;
                var y = TopMargin + (i / Columns) * LabelHeight;
                Draw(gfx, text, chunk[i], x, y, nameFont, textFont);
            }
        }

        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }

    /// <summary>Millimetres in PDF points (the sheet is laid out in millimetres, fonts are sized in points).</summary>
    private static double Mm(double millimetres) => millimetres * 72 / 25.4;

    private static void Draw(XGraphics gfx, XTextFormatter text, UnitLabel label, double x, double y, XFont nameFont, XFont textFont)
    {
        var qrSize = LabelHeight - 2 * Padding;
        DrawQrCode(gfx, label.Url, Mm(x + Padding), Mm(y + Padding), Mm(qrSize));
        var textX = x + Padding + qrSize + Padding;
        var textWidth = LabelWidth - (textX - x) - Padding;
        text.DrawString(label.Name, nameFont, XBrushes.Black, new XRect(Mm(textX), Mm(y + Padding + 1), Mm(textWidth), Mm(13)), XStringFormats.TopLeft);
        text.DrawString(label.Owner, textFont, XBrushes.Black, new XRect(Mm(textX), Mm(y + Padding + 15), Mm(textWidth), Mm(8)), XStringFormats.TopLeft);
        text.DrawString(label.InventoryCode, textFont, XBrushes.DimGray, new XRect(Mm(textX), Mm(y + Padding + 24), Mm(textWidth), Mm(4)), XStringFormats.TopLeft);
        text.DrawString("ValDrome", textFont, XBrushes.DimGray, new XRect(Mm(textX), Mm(y + LabelHeight - Padding - 4), Mm(textWidth), Mm(4)), XStringFormats.TopLeft);
    }

    /// <summary>At <paramref name="x"/>, <paramref name="y"/> (points), <paramref name="size"/> points wide, quiet zone included.</summary>
    private static void DrawQrCode(XGraphics gfx, string url, double x, double y, double size)
    {
        using var data = QRCodeGenerator.GenerateQrCode(url, QRCodeGenerator.ECCLevel.M);
        var modules = data.ModuleMatrix;
        var module = size / modules.Count;
        for (var row = 0; row < modules.Count; row++)
        {
            for (var column = 0; column < modules.Count; column++)
            {
                if (modules[row][column])
                {
                    // A hair wider than the module, so that no white seam shows between neighbours.
                    gfx.DrawRectangle(XBrushes.Black, x + column * module, y + row * module, module + 0.05, module + 0.05);
                }
            }
        }
    }

    internal sealed class DejaVuFonts : IFontResolver
    {
        public const string Family = "DejaVu Sans";

        private const string Folder = "/usr/share/fonts/truetype/dejavu";

        public FontResolverInfo? ResolveTypeface(string familyName, bool isBold, bool isItalic) =>
            new(isBold ? "DejaVuSans-Bold" : "DejaVuSans");

        public byte[]? GetFont(string faceName)
        {
            var path = Path.Combine(Folder, faceName + ".ttf");
            return File.Exists(path)
                ? File.ReadAllBytes(path)
                : throw new FileNotFoundException($"The labels need the DejaVu fonts (Debian package fonts-dejavu-core, installed by script/bootstrap): {path} is missing.", path);
        }
    }
}
