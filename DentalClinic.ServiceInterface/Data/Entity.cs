namespace DentalClinic.ServiceInterface.Data;

/// <summary>Rows with a UUID v7 key and timestamps kept by <see cref="TimestampInterceptor"/>.</summary>
public abstract class Entity
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
