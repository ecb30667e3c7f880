using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace ValDrome.Jobs.Mail;

/// <summary>
/// <c>ValDrome:PublicUrl</c>: the address people reach the site at. Mails and the calendar feed
/// link there, never to the Host a request claimed (anyone can forge it, and a job has none).
/// </summary>
public sealed class PublicUrlOptions
{
    public const string Section = "ValDrome";

    public const string DevelopmentUrl = "http://localhost:5080";

    public string? PublicUrl { get; set; }

    /// <summary>The URL without its trailing slash, ready for a path.</summary>
    public string Base => (PublicUrl ?? DevelopmentUrl).TrimEnd('/');

    public string Link(string path) => Base + path;

    /// <summary>Required in Production, where the site refuses to start without it; elsewhere the development address.</summary>
    internal static void Add(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PublicUrlOptions>()
            .Bind(configuration.GetSection(Section))
            .PostConfigure<IHostEnvironment>((options, environment) =>
            {
                if (string.IsNullOrWhiteSpace(options.PublicUrl) && !environment.IsProduction())
                {
                    options.PublicUrl = DevelopmentUrl;
                }
            })
            .Validate(options => Uri.TryCreate(options.PublicUrl, UriKind.Absolute, out var uri)
                    && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && string.IsNullOrEmpty(uri.Query),
                "ValDrome__PublicUrl must be set in Production to the address people reach the site at "
                + "(for example https://valdrome.example.fr): mails and the calendar feed link to it.")
            .ValidateOnStart();
    }
}
