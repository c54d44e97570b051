using Microsoft.Extensions.Options;

namespace DentalClinic.ServiceInterface.Auth;

public sealed class Passwords(IOptions<AuthOptions> options)
{
    private readonly int workFactor = options.Value.BcryptWorkFactor;

    // Verified against when the email is unknown, so both failures cost one bcrypt check.
    private readonly Lazy<string> dummyHash = new(() => BCrypt.Net.BCrypt.HashPassword(Guid.NewGuid().ToString(), options.Value.BcryptWorkFactor));

    public string Hash(string password) => BCrypt.Net.BCrypt.HashPassword(password, workFactor);

    public bool Verify(string password, string? hash) =>
        BCrypt.Net.BCrypt.Verify(password, hash ?? dummyHash.Value) && hash is not null;

    /// <summary>At least 10 characters and not all of one class (letters, digits, symbols).</summary>
    public static bool IsStrong(string password)
    {
        if (password.Length < 10) return false;
        var classes = new[]
        {
            password.Any(char.IsLower), password.Any(char.IsUpper), password.Any(char.IsDigit),
            password.Any(c => !char.IsLetterOrDigit(c)),
        };
        return classes.Count(x => x) >= 2;
    }
}
