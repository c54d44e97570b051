namespace DentalClinic.ServiceInterface.Data;

/// <summary>Rows with a UUID v7 key and timestamps kept by <see cref="TimestampInterceptor"/>.</summary>
public abstract class Entity
{
    private Guid? assignedId;

    /// <summary>
    /// Made when first read unless set before: a UUID v7 takes random bytes from the operating system,
    /// and the demo seeder, which gives its millions of rows ids of its own, would pay for one a row.
    /// </summary>
    public Guid Id
    {
        get => assignedId ??= Guid.CreateVersion7();
        set => assignedId = value;
    }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
