using System.Security.Claims;

namespace DentalClinic.ServiceInterface.Infrastructure;

public static class ClaimsExtensions
{
    public static Guid UserId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue("sub"), out var id) ? id : throw ApiException.Unauthorized();
}
