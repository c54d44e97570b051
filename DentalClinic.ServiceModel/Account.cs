namespace DentalClinic.ServiceModel;

/// <summary>PUT /api/auth/me/password: the signed-in user changes their own password.</summary>
public record ChangePassword(string? CurrentPassword, string? NewPassword);
