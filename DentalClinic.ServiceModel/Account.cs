namespace DentalClinic.ServiceModel;

/// <summary>PUT /api/auth/me/password: the signed-in user changes their own password.</summary>
public record ChangePassword(string? CurrentPassword, string? NewPassword);

/// <summary>POST /api/auth/forgot-password: asks for a reset link by e-mail.</summary>
public record ForgotPassword(string? Email);

/// <summary>POST /api/auth/reset-password: the token from the e-mailed link and the new password.</summary>
public record ResetPassword(string? Token, string? NewPassword);

/// <summary>The same answer whether or not the address belongs to a user.</summary>
public record PasswordResetRequested(string Message);
