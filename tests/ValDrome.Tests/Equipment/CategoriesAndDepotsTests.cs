using System.Globalization;
using System.Net;
using Microsoft.EntityFrameworkCore;
using ValDrome.Tests.Support;

namespace ValDrome.Tests.Equipment;

/// <summary>Issue 11: staff keep the community's categories and depots (admins too); nobody else does.</summary>
public sealed class CategoriesAndDepotsTests(MarketSite site) : IClassFixture<MarketSite>
{
    private static string Outcome(HttpResponseMessage response)
    {
        var location = response.Headers.Location?.OriginalString ?? "";
        return response.StatusCode switch
        {
            HttpStatusCode.Redirect when location.Contains("/connexion", StringComparison.Ordinal) => "sign-in",
            HttpStatusCode.Redirect when location.Contains("/acces-refuse", StringComparison.Ordinal) => "refused",
            HttpStatusCode.Redirect => "saved",
            _ => ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture),
        };
    }

    private async Task<HttpResponseMessage> PostAsync(string? user, string url, Dictionary<string, string> fields) =>
        user is null
            ? await site.App.Client().PostAsync(url, new FormUrlEncodedContent(fields))
            : await (await site.As(user)).SubmitAsync("/materiel", fields, url);

    [Theory]
    [InlineData("staff", "saved")]
    [InlineData("admin", "saved")]
    [InlineData("mairie-26144", "refused")]
    [InlineData("technicien", "refused")]
    [InlineData(null, "sign-in")]
    public async Task Who_may_add_a_category(string? user, string expected)
    {
        var code = $"essai-{user ?? "anonyme"}".Replace("mairie-", "m", StringComparison.Ordinal);
        using var response = await PostAsync(user, "/admin/categories?handler=Add",
            new() { ["Code"] = code, ["Name"] = $"Essai {user}", ["MaxLoanDays"] = "7" });

        Assert.Equal(expected, Outcome(response));
        await using var db = site.Database.CreateDb();
        Assert.Equal(expected == "saved", await db.EquipmentCategories.AnyAsync(c => c.Code == code));
    }

    [Fact]
    public async Task A_category_in_use_is_not_deleted_but_may_be_renamed()
    {
        await using var db = site.Database.CreateDb();
        var category = await db.EquipmentCategories.AsNoTracking().SingleAsync(c => c.Code == "remorque");
        var version = await db.EquipmentCategories.Where(c => c.Id == category.Id)
            .Select(c => EF.Property<uint>(c, Domain.RowVersion.Property)).SingleAsync();

        using (var deleted = await PostAsync("staff", $"/admin/categories?handler=Delete&id={category.Id}", []))
        {
            Assert.Equal(HttpStatusCode.Conflict, deleted.StatusCode);
            Assert.Contains("ne peut pas être supprimée", await deleted.TextAsync(), StringComparison.Ordinal);
        }

        Assert.True(await db.EquipmentCategories.AnyAsync(c => c.Id == category.Id));
        var fields = new Dictionary<string, string>
        {
            ["Name"] = "Remorques", ["Description"] = category.Description, ["MaxLoanDays"] = "14",
            ["Version"] = version.ToString(CultureInfo.InvariantCulture),
        };
        using (var renamed = await PostAsync("staff", $"/admin/categories?handler=Rename&id={category.Id}", fields))
        {
            Assert.Equal("saved", Outcome(renamed));
        }

        // The same form sent again was read before the rename: the second is told.
        using (var stale = await PostAsync("admin", $"/admin/categories?handler=Rename&id={category.Id}", fields))
        {
            Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        }

        await using var after = site.Database.CreateDb();
        Assert.Equal("Remorques", await after.EquipmentCategories.Where(c => c.Id == category.Id).Select(c => c.Name).SingleAsync());
    }

    [Fact]
    public async Task An_unused_category_is_deleted()
    {
        using (var added = await PostAsync("staff", "/admin/categories?handler=Add", new() { ["Code"] = "ephemere", ["Name"] = "Éphémère", ["MaxLoanDays"] = "3" }))
        {
            Assert.Equal("saved", Outcome(added));
        }

        await using var db = site.Database.CreateDb();
        var id = await db.EquipmentCategories.Where(c => c.Code == "ephemere").Select(c => c.Id).SingleAsync();
        using var deleted = await PostAsync("staff", $"/admin/categories?handler=Delete&id={id}", []);

        Assert.Equal("saved", Outcome(deleted));
        Assert.False(await db.EquipmentCategories.AnyAsync(c => c.Id == id));
    }

    [Theory]
    [InlineData("staff", "4.9532", "44.7411", "saved")]
    [InlineData("admin", "4,9", "44,75", "saved")]
    [InlineData("staff", "2.3522", "48.8566", "400")] // Paris: outside the territory
    [InlineData("mairie-26144", "4.9532", "44.7411", "refused")]
    [InlineData("technicien", "4.9532", "44.7411", "refused")]
    [InlineData(null, "4.9532", "44.7411", "sign-in")]
    public async Task Who_may_add_a_depot_and_where(string? user, string longitude, string latitude, string expected)
    {
        await using var db = site.Database.CreateDb();
        var inside = await db.Communes.Where(c => c.Insee == "26144").Select(c => c.ReferencePoint).SingleAsync();
        var name = $"Dépôt de {user ?? "personne"} à {longitude}";
        var fields = new Dictionary<string, string>
        {
            ["Form.Name"] = name, ["Form.Address"] = "1 rue de l'Essai",
            ["Form.Longitude"] = expected == "400" ? longitude : inside.X.ToString(CultureInfo.InvariantCulture),
            ["Form.Latitude"] = expected == "400" ? latitude : inside.Y.ToString(CultureInfo.InvariantCulture),
        };

        using var response = await PostAsync(user, "/admin/depots", fields);

        Assert.Equal(expected, Outcome(response));
        if (expected == "400")
        {
            Assert.Contains("hors du territoire", await response.TextAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(expected == "saved", await db.Depots.AnyAsync(d => d.Name == name));
    }

    [Fact]
    public async Task Staff_reach_the_catalogue_pages_that_live_under_admin()
    {
        var staff = await site.As("staff");
        Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync("/admin/categories")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync("/admin/depots")).StatusCode);
    }
}
