namespace CoachFunctions.Hosting.Auth;

public static class UserAuthServices
{
    /// <summary>
    /// Registers user token validation and answers the role admin routes need. The app's own HS256
    /// tokens are accepted with Auth__SigningKey set (the local host always sets it); Entra ID (or
    /// any OpenID Connect issuer) tokens when Auth__Authority or Auth__MetadataAddress is set. With
    /// neither, start-up fails rather than accept nothing.
    /// </summary>
    public static string AddUserTokenValidation(this IServiceCollection services, IConfiguration configuration)
    {
        var tokenOptions = configuration.GetSection(UserTokenOptions.Section).Get<UserTokenOptions>() ?? new UserTokenOptions();
        var oidcOptions = OidcOptions.From(configuration);

        UserTokens? symmetric = null;
        if (!string.IsNullOrEmpty(tokenOptions.SigningKey) || !oidcOptions.Enabled)
        {
            symmetric = new UserTokens(tokenOptions); // throws when there is neither a key nor an issuer
            services.AddSingleton(symmetric);
        }
        if (oidcOptions.Enabled)
        {
            oidcOptions.Validate();
            services.AddSingleton(sp => new OidcTokenValidator(oidcOptions, sp.GetRequiredService<ILoggerFactory>().CreateLogger<OidcTokenValidator>()));
            services.AddSingleton(sp => new UserTokenValidator(symmetric, sp.GetRequiredService<OidcTokenValidator>()));
        }
        else
        {
            services.AddSingleton(new UserTokenValidator(symmetric, null));
        }
        return oidcOptions.AdminRole;
    }
}
