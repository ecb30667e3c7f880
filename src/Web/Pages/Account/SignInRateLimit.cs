using System.Net;
using System.Threading.RateLimiting;

namespace ValDrome.Web.Pages.Account;

/// <summary>
/// Password posts to <c>/connexion</c> per client address (after the forwarded headers), so one
/// address cannot try passwords on many accounts, nor keep many accounts locked (ADR 12).
/// Over the limit: 429 and the French error page.
/// </summary>
public static class SignInRateLimit
{
    public const string Section = "ValDrome:SignIn";
    public const string SignInPath = "/connexion";

    /// <summary>Also limited: each post may send a mail, and must not become a way to flood a mailbox.</summary>
    public const string ForgotPasswordPath = "/mot-de-passe-oublie";

    public static IServiceCollection AddSignInRateLimit(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var permits = section.GetValue("AttemptsPerAddress", 10);
        var window = TimeSpan.FromSeconds(section.GetValue("WindowSeconds", 60));
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                HttpMethods.IsPost(context.Request.Method)
                    && (context.Request.Path.Equals(SignInPath, StringComparison.OrdinalIgnoreCase)
                        || context.Request.Path.Equals(ForgotPasswordPath, StringComparison.OrdinalIgnoreCase))
                    ? RateLimitPartition.GetFixedWindowLimiter(
                        context.Request.Path.Value!.ToUpperInvariant() + " " + (context.Connection.RemoteIpAddress ?? IPAddress.None),
                        _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0 })
                    : RateLimitPartition.GetNoLimiter(""));
            options.OnRejected = (rejected, _) =>
            {
                if (rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    rejected.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                // No body: the status code pages write the French page for 429.
                return ValueTask.CompletedTask;
            };
        });
        return services;
    }
}
