using System.Text;

namespace ValDrome.Web.Ogc;

/// <summary>Builds the SQL fragments of layer declarations from trusted constants.</summary>
internal static class Sql
{
    public static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    /// <summary>A list of literals, for <c>IN (…)</c>.</summary>
    public static string List(IEnumerable<string> values) => string.Join(", ", values.Select(Literal));

    /// <summary>A CASE that turns stored enum names into the French words the site shows.</summary>
    public static string Case(string column, IReadOnlyDictionary<string, string> labels)
    {
        var sql = new StringBuilder("CASE ").Append(column);
        foreach (var (stored, label) in labels)
        {
            sql.Append(" WHEN ").Append(Literal(stored)).Append(" THEN ").Append(Literal(label));
        }

        return sql.Append(" END").ToString();
    }
}
