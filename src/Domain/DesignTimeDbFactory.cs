using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace ValDrome.Domain;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the site.</summary>
internal sealed class DesignTimeDbFactory : IDesignTimeDbContextFactory<ValDromeDb>
{
    public ValDromeDb CreateDbContext(string[] args)
    {
        var connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__ValDrome")
            ?? "Host=127.0.0.1;Port=55432;Database=valdrome;Username=valdrome";
        var options = new DbContextOptionsBuilder<ValDromeDb>();
        DomainServiceCollectionExtensions.Configure(options, connectionString);
        return new ValDromeDb(options.Options);
    }
}
