using Microsoft.EntityFrameworkCore;
using ValDrome.Geo.Territory;

namespace ValDrome.Domain.Communes;

/// <summary>What an import did: re-running it on the same file reports nothing added or updated.</summary>
public sealed record TerritoryImportResult(int Added, int Updated, int Unchanged, int Repaired);

public static class TerritoryImport
{
    /// <summary>
    /// Reads, validates and upserts the territory file by INSEE code in one transaction.
    /// A broken file throws <see cref="TerritoryFileException"/> before anything is written.
    /// </summary>
    public static async Task<TerritoryImportResult> ImportAsync(ValDromeDb db, string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var communes = await TerritoryFile.ReadAsync(path, cancellationToken);
        return await UpsertAsync(db, communes, cancellationToken);
    }

    public static async Task<TerritoryImportResult> UpsertAsync(
        ValDromeDb db, IReadOnlyList<TerritoryCommune> communes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(communes);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var existing = await db.Communes.ToDictionaryAsync(c => c.Insee, StringComparer.Ordinal, cancellationToken);
        int added = 0, updated = 0, unchanged = 0;
        foreach (var source in communes)
        {
            if (!existing.TryGetValue(source.Insee, out var commune))
            {
                db.Communes.Add(new Commune(source));
                added++;
            }
            else if (commune.UpdateFrom(source))
            {
                updated++;
            }
            else
            {
                unchanged++;
            }
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new TerritoryImportResult(added, updated, unchanged, communes.Count(c => c.WasRepaired));
    }
}
