using ImageMagick;
using ImageMagick.Drawing;
using ValDrome.Web.Pages.Equipment;

namespace ValDrome.Tests.Equipment;

/// <summary>A phone's full-size photo, decoded at a reduced scale for speed, still gives the whole large size.</summary>
public sealed class PhotoResizerTests
{
    [Fact]
    public void A_12_megapixel_phone_photo_gives_the_full_large_size_and_its_thumbnail_upright()
    {
        using var image = new MagickImage(MagickColors.SteelBlue, 4032, 3024);
        image.Draw(new DrawableFillColor(MagickColors.Orange), new DrawableRectangle(0, 0, 2015, 3023));
        image.Format = MagickFormat.Jpeg;
        image.Quality = 90;

        var sizes = PhotoResizer.Resize(image.ToByteArray(), "photo");

        // Decoded at 4/8 (2016 × 1512), shrunk to the whole large size: not 1512 px, where a hint rounded down led.
        Assert.Equal((PhotoResizer.LargeSide, PhotoResizer.LargeSide * 3 / 4), (sizes.LargeWidth, sizes.LargeHeight));
        Assert.Equal((320, 240), (sizes.ThumbnailWidth, sizes.ThumbnailHeight));
    }
}
