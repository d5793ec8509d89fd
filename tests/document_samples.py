"""Small structured manuscripts written for the tests: an Archive of Our Own download (HTML and
EPUB, shaped after otwarchive's app/views/downloads templates), a Word document made with
python-docx, a saved web page, a plain EPUB 3, and hostile files. All text is our own."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

WORK_URL = "https://archiveofourown.org/works/424242"

PREFACE = f"""<div id="preface">
<h2 class="toc-heading">Preface</h2>
<p class="message"><b>The Tide Clock</b><br/>Posted originally on the Archive of Our Own at <a href="{WORK_URL}">{WORK_URL}</a>.</p>
<div class="meta"><dl class="tags">
<dt>Rating:</dt><dd><a href="https://archiveofourown.org/tags/1">Teen And Up Audiences</a></dd>
<dt>Archive Warning:</dt><dd><a href="https://archiveofourown.org/tags/2">No Archive Warnings Apply</a></dd>
<dt>Fandom:</dt><dd><a href="https://archiveofourown.org/tags/3">Harbour Town (Original Work)</a></dd>
<dt>Relationships:</dt><dd><a href="https://archiveofourown.org/tags/4">Mara/Tobiah</a>, <a href="https://archiveofourown.org/tags/5">Mara &amp; Ines</a></dd>
<dt>Additional Tags:</dt><dd><a href="https://archiveofourown.org/tags/6">Slow Burn</a>, <a href="https://archiveofourown.org/tags/7">Clocks, Tides, and Other Machines</a></dd>
<dt>Language:</dt><dd>English</dd>
<dt>Series:</dt><dd>Part 2 of <a href="https://archiveofourown.org/series/9">The Harbour Cycle</a></dd>
<dt>Stats:</dt><dd>Published: 2021-06-14 Completed: 2021-07-01 Words: 412 Chapters: 2/2</dd>
</dl>
<h1>The Tide Clock</h1>
<div class="byline">by <a rel="author" href="https://archiveofourown.org/users/quill">quillfeather</a></div>
<p>Summary</p>
<blockquote class="userstuff"><p>A clockmaker's apprentice learns why the harbour clock runs on the tide.</p></blockquote>
<p>Notes</p>
<blockquote class="userstuff"><p>Written for the autumn exchange. Thank you to my beta, who caught every stray comma.</p></blockquote>
<div class="endnote-link">See the end of the work for more <a href="#endnotes">notes</a></div>
</div></div>"""

CHAPTER_ONE = """<div class="meta group"><h2 class="heading">Chapter 1: Low Water</h2>
<p>Chapter Summary</p>
<blockquote class="userstuff"><p>Mara meets the clock.</p></blockquote>
</div>
<!--chapter content-->
<div class="userstuff">
<p>Mara climbed the tower stair at low water, when the gears were quiet and the pendulum hung <em>almost</em> still.</p>
<p>"It only moves when the sea does," said Tobiah, wiping oil from his hands. "Don't ask me why. I've asked, and nobody knows."</p>
<p align="center">~*~</p>
<p>By evening the tide had turned, and the whole tower hummed like a held breath.</p>
<p>She counted the strokes at nine and got ten.</p>
</div>
<!--/chapter content-->
<div class="meta" id="endnotes1"><p>Chapter End Notes</p>
<blockquote class="userstuff"><p>The tower is based on a real one I visited as a child.</p></blockquote></div>"""

CHAPTER_TWO = """<div class="meta group"><h2 class="heading">Chapter 2: High Water</h2>
<p>Chapter Notes</p>
<blockquote class="userstuff"><p>Shorter chapter, sorry!</p></blockquote>
</div>
<!--chapter content-->
<div class="userstuff">
<p>Ines found her asleep against the winding drum, the key still in her fist.</p>
<hr />
<p>In the morning the clock told the right time for the first time in forty years.</p>
<p>Nobody in the harbour noticed, except the gulls, who left.</p>
</div>
<!--/chapter content-->"""

AFTERWORD = """<div id="afterword"><h2 class="toc-heading">Afterword</h2>
<div class="meta"><div id="endnotes"><p>End Notes</p>
<blockquote class="userstuff"><p>Thanks for reading! Part three is already half written.</p></blockquote></div></div>
<p class="message">Please drop by <a href="https://archiveofourown.org/works/424242/comments/new">the Archive</a> and comment to let the creator know if you enjoyed their work!</p>
</div>"""

HEAD = '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><head><title>The Tide Clock</title></head><body>'

STORY_PARAGRAPHS = [
    "Mara climbed the tower stair at low water, when the gears were quiet and the pendulum hung almost still.",
    "By evening the tide had turned, and the whole tower hummed like a held breath.",
    "Ines found her asleep against the winding drum, the key still in her fist.",
    "Nobody in the harbour noticed, except the gulls, who left.",
]


def archive_html() -> str:
    """A two-chapter Archive download as its HTML file."""
    return (
        '<!DOCTYPE html>\n<html><head><meta charset="UTF-8"/><title>The Tide Clock - quillfeather</title>'
        '<link rel="stylesheet" type="text/css" href="https://archiveofourown.org/stylesheets/ebooks.css"/></head><body>'
        f'{PREFACE}\n<div id="chapters" class="userstuff">\n{CHAPTER_ONE}\n{CHAPTER_TWO}\n</div>\n{AFTERWORD}</body></html>'
    )


def _renamed(markup: str) -> str:
    """Classes as calibre renames them: the structure and labels stay, the names do not."""
    for name in ("toc-heading", "message", "meta group", "meta", "tags", "byline", "userstuff", "heading", "endnote-link"):
        markup = markup.replace(f'class="{name}"', 'class="calibre7"')
    return markup


def write_epub(path: Path, documents: dict[str, str], metadata: str, *, extra: dict[str, bytes] | None = None,
               version: str = "2.0", nav: str = "", spine_order: tuple[int, ...] | None = None) -> Path:
    """A minimal EPUB holding the given XHTML documents in spine order (or ``spine_order``'s)."""
    items = "".join(f'<item id="d{i}" href="{name}" media-type="application/xhtml+xml"{nav if name == "nav.xhtml" else ""}/>'
                    for i, name in enumerate(documents))
    order = range(len(documents)) if spine_order is None else spine_order
    spine = "".join(f'<itemref idref="d{i}"/>' for i in order)
    opf = (
        f'<?xml version="1.0" encoding="utf-8"?><package xmlns="http://www.idpf.org/2007/opf" version="{version}" unique-identifier="uid">'
        f'<metadata xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:opf="http://www.idpf.org/2007/opf">{metadata}</metadata>'
        f"<manifest>{items}</manifest><spine>{spine}</spine></package>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/epub+zip", compress_type=zipfile.ZIP_STORED)
        archive.writestr(
            "META-INF/container.xml",
            '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">'
            '<rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>',
        )
        archive.writestr("OEBPS/content.opf", opf)
        for name, text in documents.items():
            archive.writestr(f"OEBPS/{name}", text)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    path.write_bytes(buffer.getvalue())
    return path


ARCHIVE_OPF = (
    "<dc:title>The Tide Clock</dc:title><dc:creator opf:role=\"aut\">quillfeather</dc:creator>"
    "<dc:identifier id=\"uid\">urn:uuid:6a1f1d8e-0000-4000-8000-000000424242</dc:identifier><dc:language>en</dc:language>"
    "<dc:publisher>Archive of Our Own</dc:publisher>"
    "<dc:description>&lt;p&gt;A clockmaker's apprentice learns why the harbour clock runs on the tide.&lt;/p&gt;</dc:description>"
    "<dc:subject>Slow Burn</dc:subject>"
)


def archive_epub(path: Path, renamed: bool = False) -> Path:
    """The same work as an EPUB 2 download: preface, one file per chapter, afterword."""
    change = _renamed if renamed else (lambda markup: markup)
    documents = {
        "preface.xhtml": change(f"{HEAD}{PREFACE}</body></html>"),
        "chapter_001.xhtml": change(f"{HEAD}{CHAPTER_ONE}</body></html>"),
        "chapter_002.xhtml": change(f"{HEAD}{CHAPTER_TWO}</body></html>"),
        "afterword.xhtml": change(f"{HEAD}{AFTERWORD}</body></html>"),
    }
    return write_epub(path, documents, ARCHIVE_OPF)


def plain_epub(path: Path) -> Path:
    """An EPUB 3 with a cover page, a title page, a navigation document and two chapters."""
    xhtml = '<?xml version="1.0" encoding="utf-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"><head><title>x</title></head>'
    documents = {
        "cover.xhtml": f'{xhtml}<body epub:type="cover"><img src="cover.jpg" alt="cover"/></body></html>',
        "title.xhtml": f'{xhtml}<body epub:type="titlepage"><h1>Salt and Iron</h1><p>Anneliese Varga</p></body></html>',
        "nav.xhtml": f'{xhtml}<body><nav epub:type="toc"><ol><li><a href="one.xhtml">One</a></li><li><a href="two.xhtml">Two</a></li></ol></nav></body></html>',
        "one.xhtml": f"{xhtml}<body><section epub:type=\"chapter\"><h2>The Forge</h2><p>The smith's daughter lit the forge before dawn, as she had every day since the war.<a href=\"notes.xhtml#n1\" id=\"r1\" epub:type=\"noteref\">1</a></p><p class=\"break\">* * *</p><p>Her father did not come down until the iron was already glowing.</p></section></body></html>",
        "notes.xhtml": f'{xhtml}<body><section epub:type="endnotes"><h2>Endnotes</h2><ol><li id="n1" epub:type="endnote"><p>Smiths banked their fires overnight. <a href="one.xhtml#r1" epub:type="backlink">↩</a></p></li></ol></section></body></html>',
        "two.xhtml": f"{xhtml}<body><section epub:type=\"chapter\"><h2>The Road</h2><p>They left the village with a cart of <i>horseshoes</i> and one good sword.</p><hr class=\"transition\"/><p>By the third day the road had become a river of mud.</p></section></body></html>",
    }
    metadata = (
        '<dc:title>Salt and Iron</dc:title><dc:creator>Anneliese Varga</dc:creator><dc:language>en</dc:language>'
        '<dc:identifier id="uid">urn:uuid:6a1f1d8e-0000-4000-8000-000000000001</dc:identifier>'
        '<dc:description>A smith and her father take to the road.</dc:description><dc:subject>Fantasy</dc:subject>'
        '<meta property="dcterms:modified">2024-01-01T00:00:00Z</meta>'
        '<meta property="belongs-to-collection" id="c1">Forge Tales</meta><meta refines="#c1" property="group-position">3</meta>'
    )
    return write_epub(path, documents, metadata, version="3.0", nav=' properties="nav"')


def saved_page() -> str:
    """A blog post saved from a browser: menus, a sidebar, the story and a comment section."""
    return """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>The Lantern Keeper | My Writing Blog</title>
<meta name="author" content="Rosalind Pike"><script>var tracking = 1;</script><style>p { color: red }</style></head>
<body><header class="site-header"><nav class="main-menu"><a href="/">Home</a> <a href="/about">About me</a> <a href="/stories">Stories</a></nav></header>
<div class="wrapper"><aside class="sidebar"><p>Subscribe to my newsletter for updates on new stories every week!</p></aside>
<article class="post"><h1>The Lantern Keeper</h1>
<p>Every night the keeper carried her lantern along the sea wall, and every night the sea wall was a little shorter.</p>
<p>She did not mind. She had been walking it for sixty years, and her knees were glad of the change.</p>
<hr/>
<p>In spring a boy came to learn the route, and she showed him where the stones were loose and where the gulls nested.</p>
<p>"Why do you still walk it?" he asked. "There are electric lights now."</p>
<p>"Because the sea likes to be watched," she said, "and the lights do not watch anything."</p>
</article>
<section id="comments" class="comments-area"><h2>12 comments</h2><p>Loved this so much, the ending made me cry at my desk!</p><p>Beautiful writing, please post more stories like this one soon.</p></section>
</div><footer class="site-footer"><p>Copyright 2024 My Writing Blog. All rights reserved. Powered by a blogging platform.</p></footer></body></html>"""


def word_document(path: Path, manuscript: bool = True) -> Path:
    """A Word manuscript made with python-docx: title page lines, notes, two chapters, a split
    emphasised word, a centred '#' break and an empty-paragraph break."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = docx.Document()
    document.core_properties.author = "python-docx"
    document.core_properties.title = ""
    document.add_paragraph("The Glass Orchard", style="Title")
    document.add_paragraph("A Winter Story", style="Subtitle")
    document.add_paragraph("by Tamsin Hale")
    document.add_paragraph("Author's Note: This began as a prompt about frost and got away from me.")

    def text(words: str, italic_split: bool = False) -> None:
        paragraph = document.add_paragraph()
        if italic_split:  # Word splits one italic word over two runs
            head, tail = words.split("|")
            paragraph.add_run(head)
            paragraph.add_run("rea").italic = True
            paragraph.add_run("lly").italic = True
            paragraph.add_run(tail)
        else:
            paragraph.add_run(words)
        fmt = paragraph.paragraph_format
        if manuscript:
            fmt.first_line_indent = Pt(36)
            fmt.space_after = Pt(0)
        else:
            fmt.space_after = Pt(12)

    def empty() -> None:
        paragraph = document.add_paragraph()
        if manuscript:
            paragraph.paragraph_format.first_line_indent = Pt(36)

    document.add_heading("Chapter One", level=1)
    text("The orchard froze on the first night of December, every apple sealed in glass.")
    text("Wren walked the rows at dawn and tapped the fruit with a fingernail. They rang.")
    centred = document.add_paragraph("#")
    centred.alignment = WD_ALIGN_PARAGRAPH.CENTER
    text("Her grandmother said it had happened once before, the winter she was born.")
    text("\"Did it |?\" Wren asked. \"Or is that a story?\"", italic_split=True)
    if not manuscript:
        empty()  # spacing between block paragraphs, never a break
    document.add_heading("Chapter Two", level=1)
    text("By January the glass had begun to sing in the wind.")
    empty()
    text("Nobody in the village slept well after that, and nobody said why.")
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
    return path


def zip_bomb_epub(path: Path) -> Path:
    """An EPUB whose one chapter unpacks to 100 MB of nothing."""
    big = "<html><body><p>" + "a" * (100 * 1024 * 1024) + "</p></body></html>"
    return write_epub(path, {"c.xhtml": big}, "<dc:title>Bomb</dc:title>")


def drm_epub(path: Path) -> Path:
    """An EPUB whose chapter is encrypted (DRM), not just its fonts."""
    encryption = (
        '<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container" xmlns:enc="http://www.w3.org/2001/04/xmlenc#">'
        '<enc:EncryptedData><enc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/>'
        '<enc:CipherData><enc:CipherReference URI="OEBPS/c.xhtml"/></enc:CipherData></enc:EncryptedData></encryption>'
    )
    return write_epub(path, {"c.xhtml": "<html><body><p>scrambled</p></body></html>"}, "<dc:title>Locked</dc:title>",
                      extra={"META-INF/encryption.xml": encryption.encode()})


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE html [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
    '<!ENTITY secret SYSTEM "file:///etc/hostname">]>'
    '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Laughs</title></head><body>'
    '<p>The story starts &d; and &secret; here, as stories do.</p>'
    '<p>A picture <img src="http://example.com/track.png"/> and a frame <iframe src="http://example.com/"></iframe> vanish.</p>'
    "<script>document.write('evil')</script></body></html>"
)


def hostile_docx(path: Path) -> Path:
    """A .docx that is a zip bomb: its document part unpacks to 100 MB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>" + " " * (100 * 1024 * 1024) + "</w:document>")
    path.write_bytes(buffer.getvalue())
    return path


_FOOTNOTES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
    '<w:footnote w:id="1"><w:p><w:r><w:t>A rime is frost that forms on the windward side.</w:t></w:r></w:p></w:footnote>'
    "</w:footnotes>"
)
_W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def word_with_everything(path: Path) -> Path:
    """A manuscript using what Word writers use: a footnote, tracked changes, a comment, a
    table, a soft line break, a bordered empty paragraph, and a page break before a bold line."""
    import docx
    from docx.oxml import parse_xml
    from docx.shared import Pt

    document = docx.Document()
    document.add_paragraph("Frost Letters", style="Title")
    document.add_heading("Chapter One", level=1)
    body = document.element.body
    sect = body[-1]

    def raw(xml: str) -> None:
        sect.addprevious(parse_xml(xml.replace("<w:p>", f"<w:p {_W}>", 1)))

    def indented(words: str) -> None:
        paragraph = document.add_paragraph(words)
        paragraph.paragraph_format.first_line_indent = Pt(36)
        paragraph.paragraph_format.space_after = Pt(0)

    indented("The rime came early that year, thick as wool on the fences.")
    raw('<w:p><w:pPr><w:ind w:firstLine="720"/><w:spacing w:after="0"/></w:pPr><w:r><w:t xml:space="preserve">Everything it touched went white</w:t></w:r>'
        '<w:r><w:footnoteReference w:id="1"/></w:r><w:r><w:t xml:space="preserve"> and </w:t></w:r>'
        '<w:ins w:id="5" w:author="Ed"><w:r><w:t xml:space="preserve">quietly </w:t></w:r></w:ins>'
        '<w:del w:id="6" w:author="Ed"><w:r><w:delText xml:space="preserve">loudly </w:delText></w:r></w:del>'
        '<w:commentRangeStart w:id="0"/><w:r><w:t>still.</w:t></w:r><w:commentRangeEnd w:id="0"/></w:p>')
    raw('<w:p><w:pPr><w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="auto"/></w:pBdr></w:pPr></w:p>')
    indented("Her letters came twice a week.")
    raw('<w:p><w:pPr><w:ind w:firstLine="720"/></w:pPr><w:r><w:t>Dear Ada,</w:t></w:r><w:r><w:br/></w:r><w:r><w:t>the well has frozen.</w:t></w:r></w:p>')
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "Monday: snow"
    table.cell(0, 1).text = "Tuesday: more snow"
    raw('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
    raw('<w:p><w:r><w:rPr><w:b/></w:rPr><w:t>The Thaw</w:t></w:r></w:p>')
    indented("In March the fences dripped, and the letters stopped.")
    indented("Nobody minded; the roads were open again.")
    document.save(str(path))
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts["word/footnotes.xml"] = _FOOTNOTES.encode()
    rels = parts["word/_rels/document.xml.rels"].decode()
    parts["word/_rels/document.xml.rels"] = rels.replace(
        "</Relationships>",
        '<Relationship Id="rIdFoot" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>',
    ).encode()
    types = parts["[Content_Types].xml"].decode()
    parts["[Content_Types].xml"] = types.replace(
        "</Types>",
        '<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>',
    ).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return path
