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
