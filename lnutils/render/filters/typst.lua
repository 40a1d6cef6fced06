--[[
typst.lua: the last touches for the PDF (applied after report.lua when writing Typst).

- An image becomes Typst's own image call with its alt text, at the text width:
  pandoc's Typst writer leaves the alt text out, and a tagged PDF (PDF/UA-1) needs it.
- The number tables under figures ("Tall i figuren", class figure-data) are for the
  HTML reader; the PDF leaves them out.
- A cross-reference ("Figur 3") never breaks a line.
]]

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

function Link(link)
  if not link.classes:includes('xref') then return nil end
  local text = pandoc.utils.stringify(link.content):gsub(' ', '\u{a0}')
  link.content = pandoc.Inlines{pandoc.Str(text)}
  return link
end
