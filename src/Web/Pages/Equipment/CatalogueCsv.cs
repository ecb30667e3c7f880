using System.Globalization;
using System.Text;
using ValDrome.Domain;
using ValDrome.Web.Pages.Statements;

namespace ValDrome.Web.Pages.Equipment;

/// <summary>
/// The catalogue as French spreadsheets save it: semicolons, decimal commas, UTF-8 with or without
/// a BOM, or Windows-1252 (what Excel writes as « CSV (séparateur : point-virgule) »). One row per
/// unit, one column per field of the catalogue's form; the export writes what the import reads.
/// </summary>
public static class CatalogueCsv
{
    public const string Code = "code d'inventaire";
    public const string Name = "nom";
    public const string Category = "catégorie";
    public const string Description = "description";
    public const string DailyRate = "tarif journalier";
    public const string Deposit = "caution";
    public const string Conditions = "conditions d'utilisation";
    public const string Licence = "permis exigé";
    public const string Transport = "transport";
    public const string MaxLoanDays = "durée de prêt max";
    public const string AutoApprove = "approbation automatique";
    public const string HourMeter = "compteur horaire";
    public const string InService = "en service";
    public const string StatusReason = "raison hors service";
    public const string Place = "lieu";
    public const string Latitude = "latitude";
    public const string Longitude = "longitude";
    public const string Owner = "propriétaire";

    /// <summary>Every column, in the export's order.</summary>
    public static readonly IReadOnlyList<string> Columns =
        [Code, Name, Category, Description, DailyRate, Deposit, Conditions, Licence, Transport, MaxLoanDays,
            AutoApprove, HourMeter, InService, StatusReason, Place, Latitude, Longitude, Owner];

    /// <summary>Columns a file must have; the others take the form's defaults when absent.</summary>
    public static readonly IReadOnlyList<string> RequiredColumns = [Code, Name, Category, DailyRate, Transport, Place];

    public const string MairiePlace = "mairie";
    public const string PointPlace = "point";

    private static readonly CultureInfo French = FrenchCulture.Instance;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    static CatalogueCsv() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>The file's text: UTF-8 (its BOM dropped) when the bytes are valid UTF-8, Windows-1252 otherwise.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes)
    {
        var preamble = Encoding.UTF8.Preamble;
        if (bytes.StartsWith(preamble))
        {
            bytes = bytes[preamble.Length..];
        }

        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return Encoding.GetEncoding(1252).GetString(bytes);
        }
    }

    /// <summary>A record of the file and the line it starts on (a quoted cell may hold line breaks).</summary>
    public sealed record Record(int Line, IReadOnlyList<string> Cells);

    /// <summary>
    /// Splits the text into records (RFC 4180 with semicolons). Empty lines are skipped. Null, with
    /// the line, when a quote is never closed.
    /// </summary>
    public static (IReadOnlyList<Record> Records, int? UnclosedQuoteLine) Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var records = new List<Record>();
        var cells = new List<string>();
        var cell = new StringBuilder();
        var line = 1;
        var start = 1;
        var quoted = false;
        var cellStarted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < text.Length && text[i + 1] == '"')
                    {
                        cell.Append('"');
                        i++;
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        line++;
                    }

                    cell.Append(c);
                }

                continue;
            }

            switch (c)
            {
                case '"' when cell.Length == 0:
                    quoted = true;
                    cellStarted = true;
                    break;
                case ';':
                    cells.Add(cell.ToString());
                    cell.Clear();
                    cellStarted = true;
                    break;
                case '\r':
                    break;
                case '\n':
                    End();
                    line++;
                    start = line;
                    break;
                default:
                    cell.Append(c);
                    cellStarted = true;
                    break;
            }
        }

        if (quoted)
        {
            return (records, start);
        }

        End();
        return (records, null);

        void End()
        {
            if (cellStarted || cell.Length > 0 || cells.Count > 0)
            {
                cells.Add(cell.ToString());
                if (cells.Any(v => v.Trim().Length > 0))
                {
                    records.Add(new Record(start, [.. cells]));
                }
            }

            cells = [];
            cell.Clear();
            cellStarted = false;
        }
    }

    /// <summary>A column's name as people may type it: lower case, without accents, apostrophes or extra spaces.</summary>
    public static string Key(string header)
    {
        ArgumentNullException.ThrowIfNull(header);
        var decomposed = header.Trim().ToLowerInvariant().Normalize(NormalizationForm.FormD);
        var key = new StringBuilder();
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            key.Append(c is '\'' or '\u2019' or '\u00a0' or '_' or '-' ? ' ' : c);
        }

        return string.Join(' ', key.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>A cell as the export wrote it: the apostrophe put in front of a would-be formula is taken off again.</summary>
    public static string Unneutralise(string cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return cell.Length > 1 && cell[0] == '\'' && "=+-@\t\r".Contains(cell[1], StringComparison.Ordinal) ? cell[1..] : cell;
    }

    public static string Money(decimal amount) => amount.ToString("0.00", French);

    public static string Coordinate(double degrees) => degrees.ToString("0.0######", French);

    public static string YesNo(bool value) => value ? "oui" : "non";

    /// <summary>Oui/non as people type them; null for anything else.</summary>
    public static bool? ParseYesNo(string cell) => Key(cell) switch
    {
        "oui" or "o" or "x" or "1" or "vrai" or "yes" or "true" => true,
        "non" or "n" or "0" or "faux" or "no" or "false" or "" => false,
        _ => null,
    };

    /// <summary>The transport words of the file, and the labels the site shows.</summary>
    public static string TransportWord(Domain.Equipment.TransportNeed transport) => transport switch
    {
        Domain.Equipment.TransportNeed.Van => "fourgon",
        Domain.Equipment.TransportNeed.TruckAndTrailer => "porte-engin",
        _ => "emprunteur",
    };

    public static Domain.Equipment.TransportNeed? ParseTransport(string cell)
    {
        var key = Key(cell);
        foreach (var transport in Enum.GetValues<Domain.Equipment.TransportNeed>())
        {
            if (key == Key(TransportWord(transport)) || key == Key(EquipmentLabels.Transport(transport)))
            {
                return transport;
            }
        }

        return key switch
        {
            "retrait" => Domain.Equipment.TransportNeed.None,
            "technicien" => Domain.Equipment.TransportNeed.Van,
            "camion" => Domain.Equipment.TransportNeed.TruckAndTrailer,
            _ => null,
        };
    }

    /// <summary>Writes rows as a UTF-8 file with a BOM (so that Excel reads the accents), cells neutralised against formulas.</summary>
    public static byte[] Write(IEnumerable<IReadOnlyList<string>> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var csv = new StringBuilder();
        Append(csv, Columns);
        foreach (var row in rows)
        {
            Append(csv, row);
        }

        return [.. Encoding.UTF8.Preamble, .. Encoding.UTF8.GetBytes(csv.ToString())];
    }

    private static void Append(StringBuilder csv, IEnumerable<string> cells) =>
        csv.Append(string.Join(';', cells.Select(c => StatementExports.Quote(StatementExports.Neutralise(c))))).Append("\r\n");
}
