using System.Buffers.Binary;
using System.Text;

namespace DentalClinic.ServiceInterface.Operations;

/// <summary>
/// Rows in PostgreSQL's binary COPY format ("COPY", File Formats; each value as the type's send function
/// writes it), buffered for Npgsql's raw binary COPY stream. It knows only the column types the seeder
/// loads; <see cref="PostgresBulkLoad.Copy{T}"/> refuses any other column when a COPY begins. Npgsql's own
/// importer costs ~0.3 µs a value in .NET, which left PostgreSQL waiting on the seeder's one writing thread.
/// </summary>
internal sealed class BinaryCopyFormat
{
    /// <summary>The signature "PGCOPY\n\xff\r\n\0", no flags, no header extension.</summary>
    private static readonly byte[] Header = [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0,
        0, 0, 0, 0, 0, 0, 0, 0];
    private const long TicksAt2000 = 630822816000000000;   // new DateTime(2000, 1, 1).Ticks: PostgreSQL's epoch
    private static readonly int DayAt2000 = new DateOnly(2000, 1, 1).DayNumber;

    private byte[] buffer = new byte[64 * 1024];
    private int position;

    public BinaryCopyFormat() => Append(Header);

    /// <summary>Bytes written and not yet sent.</summary>
    public ReadOnlyMemory<byte> Pending => buffer.AsMemory(0, position);

    /// <summary>Send when this much is pending: a row is written whole, in as much room as it needs.</summary>
    public bool Full => position >= 48 * 1024;

    public void Sent() => position = 0;

    public void StartRow(short columns) => BinaryPrimitives.WriteInt16BigEndian(Room(2), columns);

    public void EndOfData() => BinaryPrimitives.WriteInt16BigEndian(Room(2), -1);

    public void Null() => BinaryPrimitives.WriteInt32BigEndian(Room(4), -1);

    public void Uuid(Guid value)
    {
        var room = Room(20);
        BinaryPrimitives.WriteInt32BigEndian(room, 16);
        value.TryWriteBytes(room[4..], bigEndian: true, out _);
    }

    public void Integer(int value)
    {
        var room = Room(8);
        BinaryPrimitives.WriteInt32BigEndian(room, 4);
        BinaryPrimitives.WriteInt32BigEndian(room[4..], value);
    }

    public void Text(string value)
    {
        var room = Room(4 + Encoding.UTF8.GetMaxByteCount(value.Length));
        var length = Encoding.UTF8.GetBytes(value, room[4..]);
        BinaryPrimitives.WriteInt32BigEndian(room, length);
        position -= room.Length - 4 - length;
    }

    /// <summary>Days since 2000-01-01. Npgsql writes DateOnly.MinValue and MaxValue as -infinity and infinity; the seeder has neither.</summary>
    public void Date(DateOnly value)
    {
        if (value == DateOnly.MinValue || value == DateOnly.MaxValue) throw new ArgumentOutOfRangeException(nameof(value), "An infinite date.");
        var room = Room(8);
        BinaryPrimitives.WriteInt32BigEndian(room, 4);
        BinaryPrimitives.WriteInt32BigEndian(room[4..], value.DayNumber - DayAt2000);
    }

    /// <summary>Microseconds since midnight (Npgsql drops the 100 ns ticks below a microsecond the same way).</summary>
    public void Time(TimeOnly value) => Int64(value.Ticks / 10);

    /// <summary>Microseconds since 2000-01-01 00:00 UTC; a UTC time only, as Npgsql demands of timestamp with time zone.</summary>
    public void TimestampWithTimeZone(DateTime value)
    {
        if (value.Kind != DateTimeKind.Utc) throw new ArgumentException($"A timestamp with time zone must be UTC, not {value.Kind}.", nameof(value));
        if (value == DateTime.MinValue || value == DateTime.MaxValue) throw new ArgumentOutOfRangeException(nameof(value), "An infinite timestamp.");
        Int64((value.Ticks - TicksAt2000) / 10);
    }

    /// <summary>
    /// numeric: base-10000 digits from the most significant, the weight (power of 10000) of the first, the
    /// sign and the decimal's scale as the display scale; trailing zero digits are left out, as PostgreSQL does.
    /// </summary>
    public void Numeric(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var scale = value.Scale;
        var magnitude = ((UInt128)(uint)bits[2] << 64) | ((UInt128)(uint)bits[1] << 32) | (uint)bits[0];
        // Align the fraction to whole base-10000 digits: 12.5 (scale 1) is 12 and 5000 × 10000⁻¹.
        var pad = (4 - scale % 4) % 4;
        for (var i = 0; i < pad; i++) magnitude *= 10;
        var fractionDigits = (scale + pad) / 4;

        Span<short> digits = stackalloc short[10];   // least significant first; 2⁹⁶ × 10³ < 10000¹⁰
        var count = 0;
        for (; magnitude != 0; magnitude /= 10000) digits[count++] = (short)(ushort)(magnitude % 10000);
        var trailingZeros = 0;
        while (trailingZeros < count && digits[trailingZeros] == 0) trailingZeros++;
        var written = count - trailingZeros;

        var room = Room(4 + 8 + 2 * written);
        BinaryPrimitives.WriteInt32BigEndian(room, 8 + 2 * written);
        BinaryPrimitives.WriteInt16BigEndian(room[4..], (short)written);
        BinaryPrimitives.WriteInt16BigEndian(room[6..], (short)(count == 0 ? 0 : count - 1 - fractionDigits));
        BinaryPrimitives.WriteInt16BigEndian(room[8..], (short)(value < 0 ? 0x4000 : 0));
        BinaryPrimitives.WriteInt16BigEndian(room[10..], (short)scale);
        for (var i = 0; i < written; i++) BinaryPrimitives.WriteInt16BigEndian(room[(12 + 2 * i)..], digits[count - 1 - i]);
    }

    private void Int64(long value)
    {
        var room = Room(12);
        BinaryPrimitives.WriteInt32BigEndian(room, 8);
        BinaryPrimitives.WriteInt64BigEndian(room[4..], value);
    }

    private void Append(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Room(bytes.Length));

    /// <summary>The next <paramref name="length"/> bytes of the buffer, counted as written.</summary>
    private Span<byte> Room(int length)
    {
        if (position + length > buffer.Length) Array.Resize(ref buffer, Math.Max(buffer.Length * 2, position + length));
        var room = buffer.AsSpan(position, length);
        position += length;
        return room;
    }
}
