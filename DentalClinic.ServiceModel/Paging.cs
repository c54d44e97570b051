namespace DentalClinic.ServiceModel;

/// <summary>A page of a keyset-paginated collection.</summary>
public record PagedResult<T>(IReadOnlyList<T> Data, Pagination Pagination);

public record Pagination(int Limit, string? NextCursor, bool HasMore);

public static class Paging
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;
}
