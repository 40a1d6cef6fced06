--[[
typst.lua: the last touches for the PDF (applied after report.lua when writing Typst).

- An image becomes Typst's own image call with its alt text, at the text width:
  pandoc's Typst writer leaves the alt text out, and a tagged PDF (PDF/UA-1) needs it.
- The number tables under figures ("Tall i figuren", class figure-data) are for the
  HTML reader; the PDF leaves them out.
- A table longer than LONG_TABLE rows may split over pages (lnreport.typ keeps every
  other table and figure whole); a cross-reference ("Figur 3") never breaks a line.
]]

local LONG_TABLE = 25

local function typst_string(text)
  text = text:gsub('\\', '\\\\'):gsub('"', '\\"'):gsub('\n', ' '):gsub('\r', ' ')
  return '"' .. text .. '"'
end

function Image(img)
  local alt = pandoc.utils.stringify(img.caption)
  return pandoc.RawInline('typst', string.format('#image(%s, alt: %s, width: 100%%)',
    typst_string(img.src), typst_string(alt)))
end

function Div(div)
  if div.classes:includes('figure-data') then
    return {}
  end
end

local function body_rows(tbl)
  local n = 0
  for _, body in ipairs(tbl.bodies) do n = n + #body.body end
  return n
end

function Table(tbl)
  if body_rows(tbl) <= LONG_TABLE then return nil end
  return {pandoc.RawBlock('typst', '#long-table['), tbl, pandoc.RawBlock('typst', ']')}
end

function Link(link)
  if not link.classes:includes('xref') then return nil end
  local text = pandoc.utils.stringify(link.content):gsub(' ', '\u{a0}')
  link.content = pandoc.Inlines{pandoc.Str(text)}
  return link
end
