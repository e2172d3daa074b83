import sys
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
def make(path, copyright, licence, flavor=None, licurl="https://acme.example/fonts/eula"):
    fb = FontBuilder(1000, isTTF=True)
    glyphs = [".notdef", "A"]
    fb.setupGlyphOrder(glyphs)
    fb.setupCharacterMap({65: "A"})
    pen = TTGlyphPen(None); pen.moveTo((0,0)); pen.lineTo((500,0)); pen.lineTo((250,700)); pen.closePath()
    g = pen.glyph()
    fb.setupGlyf({".notdef": g, "A": g})
    fb.setupHorizontalMetrics({".notdef": (500,0), "A": (500,0)})
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": "Acme Sans", "styleName": "Regular", "copyright": copyright,
                       "licenseDescription": licence, "licenseInfoURL": licurl})
    fb.setupOS2(fsType=2)  # restricted licence embedding
    fb.setupPost()
    if flavor: fb.font.flavor = flavor
    fb.save(path)
if __name__ == "__main__":
    make(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] if len(sys.argv)>4 and sys.argv[4] else None)
