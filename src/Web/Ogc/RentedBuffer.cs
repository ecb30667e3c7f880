using System.Buffers;

namespace ValDrome.Web.Ogc;

/// <summary>
/// A growing buffer made of arrays rented from the shared pool. A document is written into it and
/// copied out once at its exact size; the arrays go back to the pool. <c>ArrayBufferWriter</c>
/// doubled from 16 KiB and left every smaller array behind: for the 36 communes (49 KiB of GeoJSON)
/// 112 KiB of garbage per request on top of the page itself, which set how often the GC stopped
/// the site under load (ADR 30).
/// </summary>
internal sealed class RentedBuffer(int initialSize) : IBufferWriter<byte>, IDisposable
{
    private byte[] _array = ArrayPool<byte>.Shared.Rent(initialSize);
    private int _written;

    public ReadOnlySpan<byte> WrittenSpan => _array.AsSpan(0, _written);

    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (_written + count > _array.Length)
        {
            throw new InvalidOperationException("Advanced past the end of the buffer.");
        }

        _written += count;
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _array.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _array.AsSpan(_written);
    }

    public void Dispose()
    {
        var array = _array;
        _array = [];
        _written = 0;
        if (array.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }

    private void Reserve(int sizeHint)
    {
        var needed = _written + Math.Max(sizeHint, 1);
        if (needed <= _array.Length)
        {
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, _array.Length * 2));
        WrittenSpan.CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_array);
        _array = larger;
    }
}
