using ValDrome.Web;

var builder = WebApplication.CreateBuilder(args);
builder.AddValDromeWeb();

var app = builder.Build();
if (args is ["setup", ..])
{
    // One-shot: migrations, territory import, demo data (development). script/server runs it first.
    await app.SetUpDatabaseAsync();
    return;
}

app.UseValDromeWeb();
await app.RunAsync();

/// <summary>Entry point, public for WebApplicationFactory.</summary>
public partial class Program;
