using System.Security.Cryptography;
using System.Text;

namespace ValDrome.Domain.Accounts;

/// <summary>
/// A personal access key for GIS clients that cannot sign in (QGIS, GDAL): it acts as its user,
/// with that user's rights, until revoked. Only the SHA-256 of the secret is kept; the secret is
/// shown once, when the key is made (ADR 0011).
/// </summary>
public sealed class GisAccessKey
{
    public const int NameMaxLength = 100;

    /// <summary>Keys a person may hold at once: enough for each of their tools, not a way to fill the table.</summary>
    public const int MaxActivePerUser = 20;

    /// <summary>Every secret starts so, which tells a leaked one apart in logs and scanners.</summary>
    public const string SecretPrefix = "vdk_";

    /// <summary>The characters of the secret shown in the list, to tell keys apart.</summary>
    public const int HintLength = 10;

    private GisAccessKey()
    {
    }

    public int Id { get; private set; }

    public string UserId { get; private set; } = "";

    public string Name { get; private set; } = "";

    /// <summary>SHA-256 of the secret's UTF-8 text.</summary>
    public byte[] SecretHash { get; private set; } = [];

    /// <summary>The secret's first characters (prefix included), which alone let nobody in.</summary>
    public string Hint { get; private set; } = "";

    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Recorded at most once a minute (ADR 0011).</summary>
    public DateTimeOffset? LastUsedAt { get; private set; }

    public DateTimeOffset? RevokedAt { get; private set; }

    /// <summary>A new key and its secret, which nobody can read again once this returns.</summary>
    public static (GisAccessKey Key, string Secret) Create(string userId, string name, DateTimeOffset at)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        var trimmed = (name ?? "").Trim();
        if (trimmed.Length == 0)
        {
            throw new RuleException("Donnez un nom à la clé (par exemple « QGIS du bureau »).");
        }

        if (trimmed.Length > NameMaxLength || trimmed.Any(char.IsControl))
        {
            throw new RuleException($"Le nom de la clé tient en {NameMaxLength} caractères au plus, sans caractère de contrôle.");
        }

        var secret = SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var key = new GisAccessKey
        {
            UserId = userId,
            Name = trimmed,
            SecretHash = Hash(secret),
            Hint = secret[..HintLength],
            CreatedAt = at.ToUniversalTime(),
        };
        return (key, secret);
    }

    public static byte[] Hash(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return SHA256.HashData(Encoding.UTF8.GetBytes(secret));
    }
}
