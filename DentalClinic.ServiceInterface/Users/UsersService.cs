using DentalClinic.ServiceInterface.Auth;
using DentalClinic.ServiceInterface.Data;
using DentalClinic.ServiceInterface.Infrastructure;
using DentalClinic.ServiceModel;
using Microsoft.EntityFrameworkCore;

namespace DentalClinic.ServiceInterface.Users;

public sealed class UsersService(AppDbContext db, Passwords passwords, CursorCodec cursors, TimeProvider clock, SessionCache sessions, TokenService tokens)
{
    private const string AdminsLock = "users:admins";

    private sealed record Position(string Email);

    public async Task<PagedResult<UserDto>> QueryAsync(QueryUsers request, CancellationToken ct)
    {
        var limit = PageRequest.Limit(request.Limit);
        var query = db.Users.AsNoTracking();
        if (request.Cursor is not null)
        {
            var after = cursors.Decode<Position>(request.Cursor);
            query = query.Where(u => string.Compare(u.Email, after.Email) > 0);
        }
        var rows = await query.OrderBy(u => u.Email).Take(limit + 1).Select(ToDto).ToListAsync(ct);
        var hasMore = rows.Count > limit;
        if (hasMore) rows.RemoveAt(limit);
        var next = hasMore ? cursors.Encode(new Position(rows[^1].Email)) : null;
        return new PagedResult<UserDto>(rows, new Pagination(limit, next, hasMore));
    }

    public async Task<UserDto> GetAsync(Guid id, CancellationToken ct) =>
        await db.Users.AsNoTracking().Where(u => u.Id == id).Select(ToDto).FirstOrDefaultAsync(ct)
        ?? throw ApiException.NotFound("User");

    public async Task<UserDto> CreateAsync(CreateUser request, CancellationToken ct)
    {
        var email = User.NormalizeEmail(request.Email!);
        if (await db.Users.AnyAsync(u => u.Email == email, ct))
            throw ApiException.Conflict("email", "A user with this email already exists");
        var user = new User
        {
            Email = email,
            Name = request.Name!.Trim(),
            Role = request.Role!,
            PasswordHash = passwords.Hash(request.Password!),
            CalendarColor = string.IsNullOrEmpty(request.CalendarColor) ? null : request.CalendarColor,
        };
        db.Users.Add(user);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            throw ApiException.Conflict("email", "A user with this email already exists");
        }
        return ToDtoOf(user);
    }

    public async Task<UserDto> UpdateAsync(Guid id, UpdateUser request, CancellationToken ct)
    {
        await using var tx = await db.BeginLockedTransactionAsync(AdminsLock, ct);
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct) ?? throw ApiException.NotFound("User");

        var losesAdmin = user.Role == Roles.Admin && user.IsActive &&
                         ((request.Role is not null && request.Role != Roles.Admin) || request.Active == false);
        if (losesAdmin) await EnsureAnotherActiveAdminAsync(user.Id, ct);

        if (request.Name is not null) user.Name = request.Name.Trim();
        if (request.CalendarColor is not null) user.CalendarColor = request.CalendarColor.Length == 0 ? null : request.CalendarColor;
        if (request.Role is not null && request.Role != user.Role)
        {
            // Roles travel in the access token: a changed role must not keep its old powers.
            user.Role = request.Role;
            await EndAllSessionsAsync(user, ct);
        }
        if (request.Password is not null)
        {
            user.PasswordHash = passwords.Hash(request.Password);
            await EndAllSessionsAsync(user, ct);
        }
        if (request.Active is { } active && active != user.IsActive)
        {
            user.IsActive = active;
            if (!active) await EndAllSessionsAsync(user, ct);
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        sessions.Invalidate();
        return ToDtoOf(user);
    }

    /// <summary>DELETE deactivates: the user and their history stay, every token stops working.</summary>
    public Task DeactivateAsync(Guid id, CancellationToken ct) =>
        UpdateAsync(id, new UpdateUser(null, null, null, Active: false), ct);

    /// <summary>On first start with no user at all, creates the first admin. Returns the password when it was generated.</summary>
    public async Task<(User? Created, string? GeneratedPassword)> BootstrapAdminAsync(string? email, string? password, CancellationToken ct)
    {
        if (await db.Users.AnyAsync(ct)) return (null, null);
        var generated = string.IsNullOrEmpty(password) ? GeneratePassword() : null;
        var admin = new User
        {
            Email = User.NormalizeEmail(string.IsNullOrEmpty(email) ? "admin@dentalclinic.local" : email),
            Name = "Administrator",
            Role = Roles.Admin,
            PasswordHash = passwords.Hash(password is { Length: > 0 } ? password : generated!),
        };
        db.Users.Add(admin);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.IsUniqueViolation())
        {
            // Another instance starting at the same moment created the first admin (the same e-mail).
            return (null, null);
        }
        return (admin, generated);
    }

    public static string GeneratePassword() =>
        Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(18)).Replace('/', '-').Replace('+', '_');

    private async Task EnsureAnotherActiveAdminAsync(Guid exceptId, CancellationToken ct)
    {
        if (!await db.Users.AnyAsync(u => u.Role == Roles.Admin && u.IsActive && u.Id != exceptId, ct))
            throw ApiException.Conflict("role", "The last active admin cannot be demoted or deactivated");
    }

    private Task EndAllSessionsAsync(User user, CancellationToken ct) => Sessions.EndAllAsync(db, user, clock.GetUtcNow().UtcDateTime, tokens.AccessTokenLifetime, ct);

    private static readonly System.Linq.Expressions.Expression<Func<User, UserDto>> ToDto =
        u => new UserDto(u.Id, u.Email, u.Name, u.Role, u.IsActive, u.CreatedAt, u.UpdatedAt, u.CalendarColor);

    private static readonly Func<User, UserDto> ToDtoOf = ToDto.Compile();
}
