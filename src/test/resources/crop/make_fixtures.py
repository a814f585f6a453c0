# Made the committed CMYK fixtures once (tests never run this): /usr/bin/python3 with Pillow 9.4.
# Pillow writes CMYK JPEGs the way Photoshop does: an Adobe APP14 marker (transform 0) and inverted samples.
from PIL import Image

quad = Image.new('RGB', (64, 48))
px = quad.load()
for y in range(48):
    for x in range(64):
        px[x, y] = ((230, 30, 30) if x < 32 else (30, 200, 40)) if y < 24 else ((40, 60, 220) if x < 32 else (240, 220, 40))
quad.convert('CMYK').save('cmyk-quadrants.jpg', quality=95)

photo = Image.open('../../../../sample-site/static/images/missions/dscovr/01.png').convert('RGB')
photo.thumbnail((160, 160))
photo.save('cmyk-photo-reference.png')
photo.convert('CMYK').save('cmyk-photo.jpg', quality=95)

# An Adobe RGB (1998) image: flat patches with the profile of a real sample image embedded
# (/images/missions/crs-21/03.jpg carries Adobe RGB (1998)), and the sRGB values LittleCMS makes of them.
import io
from PIL import ImageCms
adobe = Image.open('../../../../sample-site/static/images/missions/crs-21/03.jpg').info['icc_profile']
patches = [(200, 40, 40), (40, 180, 60), (50, 70, 200), (128, 128, 128)]
img = Image.new('RGB', (64, 16))
for i, c in enumerate(patches):
    img.paste(c, (i * 16, 0, i * 16 + 16, 16))
img.save('adobergb-patches.jpg', quality=100, subsampling=0, icc_profile=adobe)
to_srgb = ImageCms.buildTransform(ImageCms.ImageCmsProfile(io.BytesIO(adobe)), ImageCms.createProfile('sRGB'), 'RGB', 'RGB')
print('sRGB of the patches:', [ImageCms.applyTransform(Image.new('RGB', (1, 1), c), to_srgb).getpixel((0, 0)) for c in patches])
