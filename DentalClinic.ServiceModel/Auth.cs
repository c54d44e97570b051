namespace DentalClinic.ServiceModel;

public record Login(string? Email, string? Password);

public record RefreshSession(string? RefreshToken);

public record Logout(string? RefreshToken);

public record LoginResponse(
    string AccessToken,
    string TokenType,
    int ExpiresIn,
    string RefreshToken,
    UserSummary User);

public record UserSummary(Guid Id, string Email, string Name, string Role);
