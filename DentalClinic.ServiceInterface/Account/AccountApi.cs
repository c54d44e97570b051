using System.Security.Claims;
using DentalClinic.ServiceInterface.Auth;
using DentalClinic.ServiceInterface.Users;
using DentalClinic.ServiceModel;
using FluentValidation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace DentalClinic.ServiceInterface.Account;

/// <summary>The signed-in user's own account (every role).</summary>
public static class AccountApi
{
    public static void MapAccountApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/auth").WithTags("Auth");
        group.MapPut("/me/password", ChangePassword).RequireRateLimiting(AuthApi.LoginRateLimit)
            .WithName("ChangeOwnPassword")
            .WithSummary("Change your own password; your other sessions end, and this one continues with the new tokens returned");
    }

    private static async Task<Ok<LoginResponse>> ChangePassword(ChangePassword request, ClaimsPrincipal user, AccountService account, CancellationToken ct) =>
        TypedResults.Ok(await account.ChangePasswordAsync(user, request, ct));
}

public sealed class ChangePasswordValidator : AbstractValidator<ChangePassword>
{
    public ChangePasswordValidator()
    {
        RuleFor(x => x.CurrentPassword).NotEmpty().WithMessage("Current password is required").MaximumLength(200);
        RuleFor(x => x.NewPassword).NotEmpty().WithMessage("New password is required").StrongPassword();
    }
}
