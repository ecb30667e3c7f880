using System.Globalization;
using Hangfire;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.EntityFrameworkCore;
using ValDrome.Domain;
using ValDrome.Domain.Accounts;
using ValDrome.Domain.Communes;
using ValDrome.Domain.Seed;
using ValDrome.Jobs;
using ValDrome.Jobs.Accounts;
using ValDrome.Web.Ogc;
using ValDrome.Web.Operations;
using ValDrome.Web.Pages;
using ValDrome.Web.Pages.Account;
using ValDrome.Web.Pages.Admin;
using ValDrome.Web.Pages.Equipment;
using ValDrome.Web.Pages.Loans;
using ValDrome.Web.Pages.Map;
using ValDrome.Web.Pages.Statements;
using ValDrome.Web.Security;
using ValDrome.Web.Tiles;
using ValDrome.Web.Weight;

namespace ValDrome.Web;

/// <summary>The composition root: what the site is made of, in the order it runs.</summary>
public static partial class WebComposition
{
    private static readonly CultureInfo French = FrenchCulture.Instance;

    /// <summary>The sign-in cookie (it carries only a session id, ADR 12).</summary>
    public const string SessionCookie = "valdrome";

    /// <summary>The pages every visitor may read, the same for all without a session: cached whole (<see cref="PageCache"/>).</summary>
    public static readonly string[] PublicPages = ["/Index", "/Equipment/Index", "/Equipment/Details", "/Map/Index", "/Communes/Index", "/Communes/Details", "/Territory/Index"];

    public static WebApplicationBuilder AddValDromeWeb(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var connectionString = builder.Configuration.GetConnectionString("ValDrome");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                "No database: set ConnectionStrings__ValDrome (script/server and script/test set it for their private cluster).");
        }

        if (!builder.Environment.IsDevelopment())
        {
            // A built but unpublished site (the tests') finds the build's precompressed assets under obj/,
            // as Development does on its own; a published site has no such manifest and this does nothing.
            builder.WebHost.UseStaticWebAssets();
            // Outside Development the build's files are what is served. The runtime reload check would
            // find each file changed (the manifest keeps whole seconds, the disk does not) and send it
            // gzip-labelled but stored uncompressed, with no-cache (bench/README.md, « The map on a slow rural line »).
            builder.Configuration["ReloadStaticAssetsAtRuntime"] ??= "false";
        }

        builder.Services.AddValDromeDomain(builder.Configuration, connectionString);
        builder.Services.AddValDromeJobs(builder.Configuration, connectionString);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(Policies.Admin, policy => policy.RequireRole(Roles.Admin))
            .AddPolicy(Policies.AccountKeepers, policy => policy.RequireRole(Roles.Staff, Roles.Admin))
            .AddPolicy(Policies.Workshop, policy => policy.RequireRole(Roles.Technician, Roles.Staff, Roles.Admin));
        AddAccounts(builder.Services);
        builder.Services.Configure<TwoFactorOptions>(builder.Configuration.GetSection(TwoFactorOptions.Section));
        builder.Services.AddSignInRateLimit(builder.Configuration);
        builder.Services.AddReverseProxySupport(builder.Configuration);
        builder.Services.AddRazorPages(options =>
            {
                options.Conventions.AuthorizeFolder("/Loans");
                options.Conventions.AuthorizeFolder("/Statements");
                // Services aux communes: every page is for signed-in people; each page scopes what it shows (ServiceRights).
                options.Conventions.AuthorizeFolder("/Services");
                // Agents too: a commune plans the upkeep of its own units (ADR 13); the page scopes the rest.
                options.Conventions.AuthorizeFolder("/Maintenance");
                options.Conventions.AuthorizeFolder("/Transport", Policies.Workshop);
                // Staff keep accounts too (the page itself stops them at admins); every other admin page is the admins' alone.
                options.Conventions.AuthorizeFolder("/Admin", Policies.AccountKeepers);
                options.Conventions.AuthorizePage("/Admin/Jobs", Policies.Admin);
                foreach (var page in PublicPages)
                {
                    options.Conventions.AddPageApplicationModelConvention(page, model =>
                        model.EndpointMetadata.Add(new Microsoft.AspNetCore.OutputCaching.OutputCacheAttribute { PolicyName = PageCache.PolicyName }));
                }
            })
            .AddMvcOptions(options =>
            {
                UseFrenchBindingMessages(options.ModelBindingMessageProvider);
                options.ModelMetadataDetailsProviders.Add(new FrenchValidationMessages());
                options.Filters.Add<MessageForItsPage>();
            })
            // No client-side validation script runs here: its data-val-* attributes only carried English messages.
            .AddViewOptions(options => options.HtmlHelperOptions.ClientValidationEnabled = false);
        builder.Services.AddSingleton<Microsoft.AspNetCore.Mvc.ViewFeatures.CookieTempDataProvider>();
        builder.Services.AddSingleton<Microsoft.AspNetCore.Mvc.ViewFeatures.ITempDataProvider, QuietTempData>();
        builder.Services.Configure<RouteOptions>(options => options.LowercaseUrls = true);
        builder.Services.AddGisLayer(builder.Configuration);
        builder.Services.AddPageCache(builder.Configuration);
        builder.AddValDromeOperations();
        builder.Services.Configure<PhotoOptions>(builder.Configuration.GetSection(PhotoOptions.Section));
        return builder;
    }

    public static WebApplication UseValDromeWeb(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // The first tour of the day must come back as fast as the next: load the solver now.
        app.Lifetime.ApplicationStarted.Register(() => _ = Task.Run(ValDrome.Geo.Tours.TourPlanner.WarmUp));
        app.UseForwardedHeaders();
        app.UseSecurityHeaders();
        app.UseCompression(SessionCookie);
        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/erreur/500");
            app.UseHsts();
        }

        app.UseStatusCodePagesWithReExecute("/erreur/{0}");
        app.UseRequestLocalization(new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture(French),
            SupportedCultures = [French],
            SupportedUICultures = [French],
        });
        app.UsePhotoUploadLimit();
        app.UseNulCharacterRefusal();
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseOutputCache();
        app.UseTwoFactorEnrolment();
        app.UseValDromeOperations();
        app.UseJobsDashboardStatsGuard("/jobs");
        app.UseHangfireDashboard("/jobs", new DashboardOptions
        {
            DashboardTitle = "ValDrome — tâches planifiées",
            Authorization = [new AdminsOnlyDashboardFilter()],
        });

        // Recurring jobs are registered by the set-up step (and by nodes that run jobs): a node with
        // jobs off starts without writing anything (ADR 22).
        // Fingerprinted, precompressed, cached for good; the pages' ~/ links point at the fingerprinted names.
        app.MapStaticAssets();
        app.MapRazorPages().WithStaticAssets();
        app.MapMapData();
        app.MapCalendarFeed();
        app.MapStatementExports();
        app.MapUnitPhotos();
        app.MapOgcApi().MapVectorTiles();
        return app;
    }

    private static void AddAccounts(IServiceCollection services)
    {
        services.AddOptions<SessionKeepingOptions>().BindConfiguration(SessionKeepingOptions.Section);
        services.AddIdentity<ValDromeUser, IdentityRole>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = 10;
                options.Password.RequireNonAlphanumeric = false;
                options.Lockout.MaxFailedAccessAttempts = 5;
                // Short: anyone can lock an account, so a lockout must not keep its owner out for long (ADR 12).
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
                options.Lockout.AllowedForNewUsers = true;
            })
            .AddEntityFrameworkStores<ValDromeDb>()
            .AddClaimsPrincipalFactory<ValDromeClaimsFactory>()
            .AddUserStore<ValDromeUserStore>()
            .AddDefaultTokenProviders()
            .AddTokenProvider<InvitationTokenProvider>(InvitationTokenOptions.ProviderName)
            .AddErrorDescriber<FrenchIdentityErrors>();
        services.AddScoped<PasswordAttempts>();
        services.AddSingleton<DatabaseTicketStore>();
        services.ConfigureApplicationCookie(options =>
        {
            options.LoginPath = "/connexion";
            options.LogoutPath = "/deconnexion";
            options.AccessDeniedPath = "/acces-refuse";
            options.Cookie.Name = SessionCookie;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.SlidingExpiration = true;
            options.ExpireTimeSpan = TimeSpan.FromDays(14);
        });
        services.AddOptions<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<DatabaseTicketStore>((options, store) => options.SessionStore = store);
    }

    /// <summary>Query strings and forms that do not bind get a French sentence, not the framework's English.</summary>
    private static void UseFrenchBindingMessages(Microsoft.AspNetCore.Mvc.ModelBinding.Metadata.DefaultModelBindingMessageProvider messages)
    {
        messages.SetAttemptedValueIsInvalidAccessor((value, field) => $"La valeur « {value} » n'est pas valable pour « {field} ».");
        messages.SetNonPropertyAttemptedValueIsInvalidAccessor(value => $"La valeur « {value} » n'est pas valable.");
        messages.SetValueIsInvalidAccessor(value => $"La valeur « {value} » n'est pas valable.");
        messages.SetValueMustBeANumberAccessor(field => $"« {field} » doit être un nombre.");
        messages.SetNonPropertyValueMustBeANumberAccessor(() => "La valeur doit être un nombre.");
        messages.SetMissingBindRequiredValueAccessor(field => $"« {field} » est obligatoire.");
        messages.SetMissingKeyOrValueAccessor(() => "Une valeur est obligatoire.");
        messages.SetMissingRequestBodyRequiredValueAccessor(() => "Le contenu de la requête est vide.");
        messages.SetValueMustNotBeNullAccessor(value => $"La valeur « {value} » est obligatoire.");
        messages.SetUnknownValueIsInvalidAccessor(field => $"La valeur saisie pour « {field} » n'est pas valable.");
        messages.SetNonPropertyUnknownValueIsInvalidAccessor(() => "La valeur saisie n'est pas valable.");
    }

    /// <summary>Applies migrations, imports the territory, and in development seeds demo data.</summary>
    public static Task SetUpDatabaseAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(app);
        return SetUpDatabaseAsync(app.Services, cancellationToken);
    }

    /// <summary>
    /// The same, from the site's services. Outside Development it creates no account at all (none
    /// with a known password): the <c>admin</c> command makes the first administrator.
    /// </summary>
    public static async Task SetUpDatabaseAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(services);
        await using var scope = services.CreateAsyncScope();
        var configuration = services.GetRequiredService<IConfiguration>();
        var environment = services.GetRequiredService<IHostEnvironment>();
        var db = scope.ServiceProvider.GetRequiredService<ValDromeDb>();
        var logger = scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("ValDrome.Setup");

        await db.Database.MigrateAsync(cancellationToken);
        var territory = configuration["ValDrome:TerritoryFile"]
            ?? Path.Combine(AppContext.BaseDirectory, "data", "communes.geojson");
        var result = await TerritoryImport.ImportAsync(db, territory, cancellationToken);
        LogTerritoryImported(logger, territory, result.Added, result.Updated, result.Unchanged, result.Repaired);
        await services.PrepareOperationsAsync(cancellationToken);

        if (environment.IsDevelopment())
        {
            await DevelopmentSeed.SeedAsync(db, services.GetRequiredService<TimeProvider>().Today(), cancellationToken);
            LogDemoDataSeeded(logger, DevelopmentSeed.UnitCount);
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Territory {File}: {Added} added, {Updated} updated, {Unchanged} unchanged, {Repaired} repaired")]
    private static partial void LogTerritoryImported(ILogger logger, string file, int added, int updated, int unchanged, int repaired);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data seeded ({Units} units in the catalogue)")]
    private static partial void LogDemoDataSeeded(ILogger logger, int units);
}
