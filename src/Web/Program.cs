using ValDrome.Web;

var builder = WebApplication.CreateBuilder(args);
builder.AddValDromeWeb();

var app = builder.Build();
if (args is ["setup", ..])
{
    // One-shot: migrations, territory import, demo data (development). script/server runs it first.
    await app.SetUpDatabaseAsync();
    return 0;
}

if (args is ["admin", .. var options])
{
    // One-shot: the first administrator (or a fresh link for one who never set a password).
    return await ValDrome.Web.Pages.Account.FirstAdmin.RunAsync(app.Services, options, Console.Out);
}

app.UseValDromeWeb();
await app.RunAsync();
return 0;

/// <summary>Entry point, public for WebApplicationFactory.</summary>
public partial class Program;
