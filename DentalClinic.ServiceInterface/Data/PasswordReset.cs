using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace DentalClinic.ServiceInterface.Data;

/// <summary>
/// A password-reset link: single-use, short-lived, stored only as the SHA-256 of its token (which the
/// audit log leaves out, like every column named like a hash).
/// </summary>
public class PasswordResetToken
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid UserId { get; set; }
    public required string TokenHash { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    public DateTime? UsedAt { get; set; }
    /// <summary>The admin who sent the link; null when the user asked for it.</summary>
    public Guid? RequestedBy { get; set; }
}

internal sealed class PasswordResetConfiguration : IEntityTypeConfiguration<PasswordResetToken>
{
    public void Configure(EntityTypeBuilder<PasswordResetToken> b)
    {
        b.ToTable("password_reset_tokens");
        b.Property(t => t.TokenHash).HasMaxLength(64);
        b.Property(t => t.UsedAt).IsConcurrencyToken();
        b.HasIndex(t => t.TokenHash).IsUnique();
        b.HasIndex(t => new { t.UserId, t.CreatedAt });
        b.HasOne<User>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
