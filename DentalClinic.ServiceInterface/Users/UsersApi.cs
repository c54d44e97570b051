using DentalClinic.ServiceModel;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace DentalClinic.ServiceInterface.Users;

public static class UsersApi
{
    public static void MapUsersApi(this IEndpointRouteBuilder api)
    {
        var group = api.MapGroup("/users").WithTags("Users").RequireAuthorization(Policies.Admin);

        group.MapGet("/", Query).WithName("QueryUsers").WithSummary("Users, ordered by email");
        group.MapGet("/{id:guid}", Get).WithName("GetUser");
        group.MapPost("/", Create).WithName("CreateUser");
        group.MapPut("/{id:guid}", Update).WithName("UpdateUser").WithSummary("Change name, role, password or active flag");
        group.MapDelete("/{id:guid}", Delete).WithName("DeactivateUser").WithSummary("Deactivate a user; every token of theirs stops working");
    }

    private static async Task<Ok<PagedResult<UserDto>>> Query([AsParameters] QueryUsers request, UsersService users, CancellationToken ct) =>
        TypedResults.Ok(await users.QueryAsync(request, ct));

    private static async Task<Ok<UserDto>> Get(Guid id, UsersService users, CancellationToken ct) =>
        TypedResults.Ok(await users.GetAsync(id, ct));

    private static async Task<Created<UserDto>> Create(CreateUser request, UsersService users, CancellationToken ct)
    {
        var user = await users.CreateAsync(request, ct);
        return TypedResults.Created($"/api/users/{user.Id}", user);
    }

    private static async Task<Ok<UserDto>> Update(Guid id, UpdateUser request, UsersService users, CancellationToken ct) =>
        TypedResults.Ok(await users.UpdateAsync(id, request, ct));

    private static async Task<NoContent> Delete(Guid id, UsersService users, CancellationToken ct)
    {
        await users.DeactivateAsync(id, ct);
        return TypedResults.NoContent();
    }
}
