using System.Buffers;
using System.Text;
using System.Text.Json;
using ValDrome.Web.Ogc;

namespace ValDrome.Tests.Ogc;

/// <summary>
/// The GIS layer writes its documents into rented arrays (ADR 30): the bytes are those a plain
/// buffer would hold, and a page costs the garbage of its own copy, not of every array it outgrew.
/// </summary>
public sealed class RentedBufferTests
{
    /// <summary>About the 36 communes' page: 60 features of a 40-point ring, some 60 KiB, made before any count.</summary>
    private static readonly (string Geometry, string Name)[] Features = [.. Enumerable.Range(0, 60).Select(id =>
        ($$"""{"type":"Polygon","coordinates":[[{{string.Join(',', Enumerable.Range(0, 40).Select(i => $"[4.{i + id:000000},44.{i:000000}]"))}}]]}""",
            $"Commune n° {id} « d'en haut »"))];

    private static void WritePage(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("type", "FeatureCollection");
        writer.WriteStartArray("features");
        for (var id = 0; id < Features.Length; id++)
        {
            writer.WriteStartObject();
            writer.WriteString("type", "Feature");
            writer.WriteNumber("id", id);
            writer.WritePropertyName("geometry");
            writer.WriteRawValue(Features[id].Geometry, skipInputValidation: true);
            writer.WriteStartObject("properties");
            writer.WriteString("nom", Features[id].Name);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    [Fact]
    public void A_document_outgrowing_its_first_array_comes_out_whole_and_exact()
    {
        var expected = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(expected, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            WritePage(writer);
        }

        var written = OgcResponse.WriteJson(WritePage);

        Assert.True(written.Length > 3 * 16 * 1024, $"the page ({written.Length} bytes) outgrows the first array more than once");
        Assert.Equal(expected.WrittenSpan.ToArray(), written);
        using var document = JsonDocument.Parse(written);
        Assert.Equal(60, document.RootElement.GetProperty("features").GetArrayLength());
        Assert.Contains("« d'en haut »", Encoding.UTF8.GetString(written), StringComparison.Ordinal);
    }

    [Fact]
    public void Writing_a_page_leaves_little_more_garbage_than_the_page_itself()
    {
        // The pool's arrays and the JIT's first run are paid once, before the count.
        var length = OgcResponse.WriteJson(WritePage).Length;
        OgcResponse.WriteJson(WritePage);

        var before = GC.GetAllocatedBytesForCurrentThread();
        OgcResponse.WriteJson(WritePage);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Doubling from 16 KiB left 16 + 32 + 64 KiB behind for this page, over twice its size on top of it.
        Assert.True(allocated < 1.5 * length, $"{allocated} bytes allocated for a {length}-byte page");
    }

    [Fact]
    public void Advancing_past_what_was_asked_for_is_refused()
    {
        using var buffer = new RentedBuffer(16);
        var span = buffer.GetSpan(10);
        "0123456789"u8.CopyTo(span);
        buffer.Advance(10);
        var room = span.Length;

        Assert.Throws<InvalidOperationException>(() => buffer.Advance(room));
        Assert.Equal("0123456789"u8.ToArray(), buffer.WrittenSpan.ToArray());
    }
}
