using DentalClinic.ServiceInterface.Infrastructure;
using System.Security.Claims;
using DentalClinic.ServiceModel;
using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace DentalClinic.ServiceInterface.Auth;

public static class AuthApi
{
    public const string LoginRateLimit = "login";

    public static void MapAuthApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/auth").WithTags("Auth");

        group.MapPost("/login", Login).AllowAnonymous().RequireRateLimit(LoginRateLimit)
            .WithName("Login").WithSummary("Exchange email and password for an access and a refresh token");
        group.MapPost("/refresh", Refresh).AllowAnonymous().RequireRateLimit(LoginRateLimit)
            .WithName("RefreshSession").WithSummary("Rotate a refresh token; re-use of a rotated one ends its session");
        group.MapPost("/logout", Logout)
            .WithName("Logout").WithSummary("Revoke this session's refresh tokens and the current access token");
        group.MapGet("/me", Me)
            .WithName("GetCurrentUser").WithSummary("The signed-in user");
    }

    private static async Task<Ok<LoginResponse>> Login(Login request, AuthService auth, CancellationToken ct) =>
        TypedResults.Ok(await auth.LoginAsync(request, ct));

    private static async Task<Ok<LoginResponse>> Refresh(RefreshSession request, AuthService auth, CancellationToken ct) =>
        TypedResults.Ok(await auth.RefreshAsync(request, ct));

    private static async Task<NoContent> Logout(Logout? request, ClaimsPrincipal user, AuthService auth, CancellationToken ct)
    {
        await auth.LogoutAsync(user, request ?? new Logout(null), ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<UserSummary>> Me(ClaimsPrincipal user, AuthService auth, CancellationToken ct) =>
        TypedResults.Ok(await auth.MeAsync(user, ct));
}

public sealed class LoginValidator : AbstractValidator<Login>
{
    public LoginValidator()
    {
        RuleFor(x => x.Email).NotEmpty().WithMessage("E-mail is required").MaximumLength(254);
        RuleFor(x => x.Password).NotEmpty().WithMessage("Password is required").MaximumLength(200);
    }
}

public sealed class RefreshSessionValidator : AbstractValidator<RefreshSession>
{
    public RefreshSessionValidator()
    {
        RuleFor(x => x.RefreshToken).NotEmpty().WithMessage("Refresh token is required").MaximumLength(200);
    }
}
