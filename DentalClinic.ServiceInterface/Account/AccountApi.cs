using System.Security.Claims;
using DentalClinic.ServiceInterface.Auth;
using DentalClinic.ServiceInterface.Infrastructure;
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
        group.MapPut("/me/password", ChangePassword).RequireRateLimit(AuthApi.LoginRateLimit)
            .WithName("ChangeOwnPassword")
            .WithSummary("Change your own password; your other sessions end, and this one continues with the new tokens returned");
        group.MapPost("/forgot-password", Forgot).AllowAnonymous().RequireRateLimit(AuthApi.LoginRateLimit)
            .WithName("ForgotPassword")
            .WithSummary("E-mail a single-use, 30-minute link to choose a new password; the same answer whether or not the address is a user's");
        group.MapPost("/reset-password", Reset).AllowAnonymous().RequireRateLimit(AuthApi.LoginRateLimit)
            .WithName("ResetPassword").WithSummary("Set a new password with the token of an e-mailed link; every session of the user ends");
        api.MapPost("/users/{id:guid}/password-reset", SendReset).RequireAuthorization(Policies.Admin).WithTags("Users")
            .WithName("SendPasswordReset").WithSummary("Send a user a link to choose a new password (admin)");
    }

    private static async Task<Accepted<PasswordResetRequested>> Forgot(ForgotPassword request, PasswordResetService resets, CancellationToken ct) =>
        TypedResults.Accepted((string?)null, await resets.ForgotAsync(request, ct));

    private static async Task<NoContent> Reset(ResetPassword request, PasswordResetService resets, CancellationToken ct)
    {
        await resets.ResetAsync(request, ct);
        return TypedResults.NoContent();
    }

    private static async Task<Accepted<PasswordResetRequested>> SendReset(Guid id, HttpContext http, PasswordResetService resets, CancellationToken ct) =>
        TypedResults.Accepted((string?)null, await resets.SendForAdminAsync(id, http.User.UserId(), ct));

    private static async Task<Ok<LoginResponse>> ChangePassword(ChangePassword request, ClaimsPrincipal user, AccountService account, CancellationToken ct) =>
        TypedResults.Ok(await account.ChangePasswordAsync(user, request, ct));
}

public sealed class ForgotPasswordValidator : AbstractValidator<ForgotPassword>
{
    public ForgotPasswordValidator()
    {
        RuleFor(x => x.Email).NotEmpty().WithMessage("E-mail is required").MaximumLength(254);
    }
}

public sealed class ResetPasswordValidator : AbstractValidator<ResetPassword>
{
    public ResetPasswordValidator()
    {
        RuleFor(x => x.Token).NotEmpty().WithMessage("Token is required").MaximumLength(200);
        RuleFor(x => x.NewPassword).NotEmpty().WithMessage("New password is required").StrongPassword();
    }
}

public sealed class ChangePasswordValidator : AbstractValidator<ChangePassword>
{
    public ChangePasswordValidator()
    {
        RuleFor(x => x.CurrentPassword).NotEmpty().WithMessage("Current password is required").MaximumLength(200);
        RuleFor(x => x.NewPassword).NotEmpty().WithMessage("New password is required").StrongPassword();
    }
}
