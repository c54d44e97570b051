using DentalClinic.ServiceModel;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DentalClinic.ServiceInterface.Data;

public class User : Entity
{
    /// <summary>Stored trimmed and lower-cased, so uniqueness is case-insensitive.</summary>
    public required string Email { get; set; }
    public required string PasswordHash { get; set; }
    public required string Name { get; set; }
    public required string Role { get; set; }
    public bool IsActive { get; set; } = true;
    /// <summary>#RRGGBB: how calendars show a dentist (optional).</summary>
    public string? CalendarColor { get; set; }

    /// <summary>Changes whenever every issued access token must stop working (password change, deactivation).</summary>
    public Guid SecurityStamp { get; set; } = Guid.NewGuid();

    public static string NormalizeEmail(string email) => email.Trim().ToLowerInvariant();
}

/// <summary>A refresh token, stored only as its SHA-256 hash. Tokens rotated from one login share a family.</summary>
public class RefreshToken
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid UserId { get; set; }
    public Guid FamilyId { get; set; }
    public required string TokenHash { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>When the session (the family's first token, at login) began: the absolute session limit counts from here.</summary>
    public DateTime SessionStartedAt { get; set; }
    /// <summary>The earlier of the session's idle limit (from this token's creation) and its absolute limit.</summary>
    public DateTime ExpiresAt { get; set; }
    public DateTime? RevokedAt { get; set; }
    /// <summary>Set on every token of a family ended by logout or by re-use of a rotated token.</summary>
    public bool FamilyRevoked { get; set; }
}

/// <summary>Access tokens (by jti) revoked before their expiry, e.g. by logout.</summary>
public class RevokedAccessToken
{
    public required string Jti { get; set; }
    public DateTime ExpiresAt { get; set; }
}

/// <summary>
/// One failed login (or one in progress: the row is written before the password is checked and
/// removed on success), shared by every instance through the database. See LoginThrottle.
/// </summary>
[NotAudited]
public class LoginFailure
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    /// <summary>Normalised (trimmed, lower-case) email as typed, whether or not a user has it.</summary>
    public required string Email { get; set; }
    /// <summary>The client's IP address.</summary>
    public required string Client { get; set; }
    public DateTime FailedAt { get; set; }
}

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>, IEntityTypeConfiguration<RefreshToken>,
    IEntityTypeConfiguration<RevokedAccessToken>, IEntityTypeConfiguration<LoginFailure>
{
    public void Configure(EntityTypeBuilder<LoginFailure> b)
    {
        b.ToTable("login_failures");
        b.Property(f => f.Email).HasMaxLength(254);
        b.Property(f => f.Client).HasMaxLength(64);
        b.HasIndex(f => new { f.Email, f.FailedAt });
        b.HasIndex(f => f.FailedAt);
    }

    public void Configure(EntityTypeBuilder<User> b)
    {
        b.ToTable("users");
        b.Property(u => u.Email).HasMaxLength(254);
        b.HasIndex(u => u.Email).IsUnique();
        b.Property(u => u.PasswordHash).HasColumnName("password").HasMaxLength(100);
        b.Property(u => u.Name).HasMaxLength(100);
        b.Property(u => u.Role).HasMaxLength(16);
        b.Property(u => u.CalendarColor).HasMaxLength(7);
        b.ToTable(t => t.HasCheckConstraint("ck_users_role", $"role IN ('{Roles.Admin}', '{Roles.Dentist}', '{Roles.Staff}')"));
    }

    public void Configure(EntityTypeBuilder<RefreshToken> b)
    {
        b.ToTable("refresh_tokens");
        b.Property(t => t.TokenHash).HasMaxLength(64);
        b.HasIndex(t => t.TokenHash).IsUnique();
        b.HasIndex(t => t.FamilyId);
        b.HasOne<User>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<RevokedAccessToken> b)
    {
        b.ToTable("revoked_access_tokens");
        b.HasKey(t => t.Jti);
        b.Property(t => t.Jti).HasMaxLength(64);
    }
}
