using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace ValDrome.Web.Security;

/// <summary>
/// The site behind an HTTPS reverse proxy (ADR 12): the client's address and scheme come from
/// X-Forwarded-For/Proto, trusted only from the proxies configured (loopback unless told), and
/// cookies are Secure outside development.
/// </summary>
public static class ReverseProxy
{
    public const string Section = "ValDrome:ReverseProxy";

    public static IServiceCollection AddReverseProxySupport(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var proxies = section.GetSection("KnownProxies").Get<string[]>() ?? [];
        var networks = section.GetSection("KnownNetworks").Get<string[]>() ?? [];
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // One proxy in front: its own entry is the client's address.
            options.ForwardLimit = section.GetValue("ForwardLimit", 1);
            foreach (var proxy in proxies)
            {
                options.KnownProxies.Add(IPAddress.TryParse(proxy, out var address) ? address
                    : throw new InvalidOperationException($"{Section}:KnownProxies: « {proxy} » is not an IP address."));
            }

            foreach (var network in networks)
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var parsed) ? parsed
                    : throw new InvalidOperationException($"{Section}:KnownNetworks: « {network} » is not a network such as 10.0.0.0/8."));
            }
        });

        // Secure whenever the request is HTTPS, which behind the proxy it is through X-Forwarded-Proto
        // (HSTS keeps browsers on HTTPS). Not "Always": the in-memory tests, even in Production
        // mode, and script/server speak plain HTTP, and antiforgery refuses to work without TLS then.
        services.ConfigureApplicationCookie(options => options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        services.AddAntiforgery(options => options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        services.Configure<Microsoft.AspNetCore.Mvc.CookieTempDataProviderOptions>(options => options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest);
        services.AddHsts(options =>
        {
            options.MaxAge = TimeSpan.FromDays(365);
            options.IncludeSubDomains = false;
        });
        return services;
    }
}
