--[[
report.lua: numbering, cross-references and Norwegian typography for the merged
report (applied when writing HTML and DOCX).

Headings arrive with classes set by lnutils/render/pandoc_engine.py:
  part        a part heading (level 1): "Del 2: ..."
  appendix    an appendix heading (level 1): "Vedlegg 1: ..."
  unnumbered  front matter (summary) and headings inside appendices
Other headings are numbered 1, 1.1, 1.1.1 (or, under parts, 2.1, 2.1.1 with the
part number first); deeper levels stay unnumbered. The numbers are written into
the heading text, so the table of contents and the DOCX show them as well.

Figures (pandoc Figure blocks with an id or a caption) and captioned tables are
numbered in document order: "Figur 3: ...", "Tabell 1: ...". Citations of fig-
and tbl- labels (@fig-svar) become links "Figur 3". Quotes become « » and ’ ’.
With the metadata flag lnr-figure-list, a last appendix "Figurliste" lists every
numbered figure with a link to it.
]]

local has_parts = false
local part_n, appendix_n = 0, 0
local in_appendix = false
local counters = {0, 0, 0}
local fig_n, tbl_n = 0, 0
local labels = {}
local unknown = pandoc.List{}
local figures = pandoc.List{}  -- {id, name, caption} of numbered figures, for the list

local function prefix_span(text, class)
  return pandoc.Span(pandoc.Inlines{pandoc.Str(text)}, pandoc.Attr('', {class}))
end

local function section_number(level)
  -- level is the heading level; under parts, level 2 is a chapter of the part.
  local depth = has_parts and level - 1 or level
  if depth < 1 or depth > 3 then
    return nil
  end
  counters[depth] = counters[depth] + 1
  for i = depth + 1, 3 do counters[i] = 0 end
  local parts = {}
  if has_parts then parts[1] = tostring(part_n) end
  for i = 1, depth do parts[#parts + 1] = tostring(counters[i]) end
  return table.concat(parts, '.')
end

local function number_header(h)
  local label
  if h.classes:includes('part') then
    part_n = part_n + 1
    in_appendix = false
    counters = {0, 0, 0}
    label = 'Del ' .. part_n .. ':'

  elseif h.classes:includes('appendix') then
    appendix_n = appendix_n + 1
    in_appendix = true
    label = 'Vedlegg ' .. appendix_n .. ':'
  elseif h.classes:includes('unnumbered') or in_appendix then
    return nil
  else
    label = section_number(h.level)
  end
  if label then
    h.content = pandoc.Inlines{prefix_span(label, 'secno'), pandoc.Space()} .. h.content
  end
  return h
end

local function caption_with(prefix, caption_blocks)
  local inlines = pandoc.utils.blocks_to_inlines(caption_blocks or pandoc.Blocks{})
  local head = pandoc.Inlines{prefix_span(prefix, 'caption-label')}
  if #inlines > 0 then
    head:insert(pandoc.Str(':'))
    head:insert(pandoc.Space())
    head:extend(inlines)
  end
  return pandoc.Blocks{pandoc.Plain(head)}
end

local function number_figure(fig)
  local long = fig.caption.long or pandoc.Blocks{}
  if fig.identifier == '' and #long == 0 then
    return nil
  end
  fig_n = fig_n + 1
  local name = 'Figur ' .. fig_n
  if fig.identifier == '' then fig.identifier = 'figur-' .. fig_n end
  labels[fig.identifier] = name
  figures:insert({id = fig.identifier, name = name,
                  caption = pandoc.utils.blocks_to_inlines(long)})
  fig.caption = {long = caption_with(name, long)}
  return fig
end

local function number_table(tbl)
  local long = tbl.caption.long or pandoc.Blocks{}
  if tbl.identifier == '' and #long == 0 then
    return nil
  end
  tbl_n = tbl_n + 1
  local name = 'Tabell ' .. tbl_n
  if tbl.identifier ~= '' then labels[tbl.identifier] = name end
  tbl.caption = {long = caption_with(name, long)}
  return tbl
end

local function resolve_cite(cite)
  local out = pandoc.Inlines{}
  for i, citation in ipairs(cite.citations) do
    local id = citation.id
    if not (id:match('^fig%-') or id:match('^tbl%-')) then
      return nil  -- a literature citation: not ours
    end
    if i > 1 then out:extend{pandoc.Str(','), pandoc.Space()} end
    if labels[id] then
      out:insert(pandoc.Link(pandoc.Inlines{pandoc.Str(labels[id])}, '#' .. id, '',
                             pandoc.Attr('', {'xref'})))
    else
      unknown:insert(id)
      out:insert(pandoc.Str('??'))
    end
  end
  return out
end

local function norwegian_quotes(q)
  local open, close = '«', '»'
  if q.quotetype == 'SingleQuote' then open, close = '’', '’' end
  return pandoc.Inlines{pandoc.Str(open)} .. q.content .. pandoc.Inlines{pandoc.Str(close)}
end

local function count_figures(blocks)
  local n = 0
  blocks:walk{Figure = function() n = n + 1 end}
  return n
end

local function figure_list()
  local items = pandoc.List{}
  for _, fig in ipairs(figures) do
    local text = pandoc.Inlines{pandoc.Str(fig.name)}
    if #fig.caption > 0 then
      text:extend{pandoc.Str(':'), pandoc.Space()}
      text:extend(fig.caption)
    end
    items:insert({pandoc.Plain{pandoc.Link(text, '#' .. fig.id)}})
  end
  return pandoc.BulletList(items)
end

-- In Word, every level-1 heading (summary, parts, appendices) starts a new page,
-- so the title page and the contents stand on their own.
local PAGE_BREAK = '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'

local function page_breaks(blocks)
  local out = pandoc.Blocks{}
  for _, block in ipairs(blocks) do
    if block.t == 'Header' and block.level == 1 then
      out:insert(pandoc.RawBlock('openxml', PAGE_BREAK))
    end
    out:insert(block)
  end
  return out
end

-- Tables in Word and the PDF span the text column, with widths fitted to their content:
-- every column at least as wide as its longest word (so no word is broken), the rest of
-- the width shared by how much text each column holds. The column holds about
-- COLUMN_CHARS characters of table text: 16 cm of DejaVu Sans at 8,5 pt in the PDF,
-- of Calibri at 9 pt in Word, with room for the cell margins.
local COLUMN_CHARS = FORMAT:match('docx') and 100 or 80
local CELL_PADDING = 3

local function cell_measure(cell)
  local text = pandoc.utils.stringify(cell.contents)
  local longest = 0
  for word in text:gmatch('%S+') do
    longest = math.max(longest, utf8.len(word) or #word)
  end
  return utf8.len(text) or #text, longest
end

-- The cap C with sum(min(need_i, C)) == total: water-filling from the top.
local function capped_share(need, total)
  local sorted = {}
  for i, v in ipairs(need) do sorted[i] = v end
  table.sort(sorted)
  local below, n = 0, #sorted
  for k, v in ipairs(sorted) do
    local rest = n - k + 1  -- columns still to be capped, each getting the same share
    local cap = (total - below) / rest
    if cap <= v then return cap end
    below = below + v
  end
  return sorted[n]
end

local function fit_widths(tbl)
  local n = #tbl.colspecs
  if n == 0 then return tbl end
  local length, word = {}, {}
  for i = 1, n do length[i], word[i] = 1, 1 end
  local function measure(rows)
    for _, row in ipairs(rows) do
      for i, cell in ipairs(row.cells) do
        if i <= n and cell.col_span == 1 then
          local len, longest = cell_measure(cell)
          length[i] = math.max(length[i], len + CELL_PADDING)
          word[i] = math.max(word[i], longest + CELL_PADDING)
        end
      end
    end
  end
  measure(tbl.head.rows)
  for _, body in ipairs(tbl.bodies) do measure(body.body) end
  local sum_len, sum_word = 0, 0
  for i = 1, n do sum_len, sum_word = sum_len + length[i], sum_word + word[i] end
  local widths = {}
  if sum_len <= COLUMN_CHARS then
    for i = 1, n do widths[i] = length[i] / sum_len end
  elseif sum_word >= COLUMN_CHARS then
    -- Not every word fits: the columns with the longest words give way (their long
    -- words break), every other column keeps room for its longest word.
    local cap = capped_share(word, COLUMN_CHARS)
    for i = 1, n do widths[i] = math.min(word[i], cap) / COLUMN_CHARS end
  else
    local spare, slack = COLUMN_CHARS - sum_word, sum_len - sum_word
    for i = 1, n do
      widths[i] = (word[i] + spare * (length[i] - word[i]) / slack) / COLUMN_CHARS
    end
  end
  for i = 1, n do tbl.colspecs[i] = {tbl.colspecs[i][1], widths[i]} end
  return tbl
end

-- Word gives a cell's paragraphs the paragraph style (pandoc's "Compact", body text),
-- which outranks the table style: cells get the style "Table Text" of the reference
-- document instead (the table's own small sans type).
local function docx_cell_style(tbl)
  local function restyle(rows)
    for _, row in ipairs(rows) do
      for _, cell in ipairs(row.cells) do
        -- a Plain would still be written "Compact": the paragraphs become Para
        local blocks = cell.contents:walk{Plain = function(plain)
          return pandoc.Para(plain.content)
        end}
        cell.contents = pandoc.Blocks{pandoc.Div(blocks,
          pandoc.Attr('', {}, {['custom-style'] = 'Table Text'}))}
      end
    end
  end
  restyle(tbl.head.rows)
  for _, body in ipairs(tbl.bodies) do restyle(body.body) end
  restyle(tbl.foot.rows)
  return tbl
end

-- Word shows a contents field empty until someone updates it. The contents is written
-- here as text instead: one linked paragraph per heading, inside a TOC field whose last
-- result they are, so Word can still update it (and add page numbers) on request.
local function xml_escape(text)
  return (text:gsub('&', '&amp;'):gsub('<', '&lt;'):gsub('>', '&gt;'):gsub('"', '&quot;'))
end

local function docx_contents(blocks, title, depth)
  local entries = pandoc.List{}
  blocks:walk{Header = function(h)
    if h.level <= depth and h.identifier ~= '' then
      entries:insert({level = h.level, id = h.identifier,
                      text = pandoc.utils.stringify(h.content)})
    end
  end}
  if #entries == 0 then return pandoc.Blocks{} end
  local out = pandoc.Blocks{pandoc.RawBlock('openxml',
    '<w:p><w:pPr><w:pStyle w:val="TOCHeading"/></w:pPr><w:r><w:t xml:space="preserve">'
    .. xml_escape(title) .. '</w:t></w:r></w:p>')}
  for i, entry in ipairs(entries) do
    local runs = ''
    if i == 1 then
      runs = '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
        .. '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-' .. depth
        .. '" \\h \\z \\u </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    end
    runs = runs .. '<w:hyperlink w:anchor="' .. xml_escape(entry.id) .. '" w:history="1">'
      .. '<w:r><w:t xml:space="preserve">' .. xml_escape(entry.text) .. '</w:t></w:r></w:hyperlink>'
    if i == #entries then
      runs = runs .. '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    end
    out:insert(pandoc.RawBlock('openxml', '<w:p><w:pPr><w:pStyle w:val="toc'
      .. math.min(entry.level, 9) .. '"/></w:pPr>' .. runs .. '</w:p>'))
  end
  return out
end

-- The numbers of a figure (a Div of class figure-data, made for the HTML alone by
-- lnutils.render.figure_data) are for the HTML reader: a collapsed "Tall i figuren"
-- right under the figure. The DOCX leaves them out (typst.lua does the same for the
-- PDF), should a narrative hold such a Div.
local function figure_data(div)
  if not div.classes:includes('figure-data') then return nil end
  if FORMAT:match('html') then
    local blocks = pandoc.Blocks{pandoc.RawBlock('html',
      '<details class="figure-data"><summary>Tall i figuren</summary>')}
    blocks:extend(div.content)
    blocks:insert(pandoc.RawBlock('html', '</details>'))
    return blocks
  end
  if FORMAT:match('docx') then return {} end
  return nil
end

function Pandoc(doc)
  has_parts = doc.meta['lnr-has-parts'] == true
  local with_list = doc.meta['lnr-figure-list'] == true and count_figures(doc.blocks) > 0
  if with_list then
    doc.blocks:insert(pandoc.Header(1, 'Figurliste', pandoc.Attr('figurliste', {'appendix'})))
    doc.blocks:insert(pandoc.Div({}, pandoc.Attr('lnr-figure-list')))
  end
  doc.blocks = doc.blocks:walk{
    traverse = 'topdown',
    Header = number_header,
    Figure = number_figure,
    Table = number_table,
  }
  doc.blocks = doc.blocks:walk{Cite = resolve_cite, Quoted = norwegian_quotes,
                               Div = figure_data}
  if with_list then
    doc.blocks = doc.blocks:walk{Div = function(div)
      if div.identifier == 'lnr-figure-list' then
        return pandoc.Div({figure_list()}, pandoc.Attr('', {'figure-list'}))
      end
    end}
  end
  if FORMAT:match('docx') or FORMAT:match('typst') then
    doc.blocks = doc.blocks:walk{Table = fit_widths}
  end
  if FORMAT:match('docx') then
    doc.blocks = doc.blocks:walk{Table = docx_cell_style}
    local title = pandoc.utils.stringify(doc.meta['toc-title'] or 'Innhold')
    local depth = PANDOC_WRITER_OPTIONS.toc_depth or 3
    local contents = docx_contents(doc.blocks, title, depth)
    doc.blocks = page_breaks(doc.blocks)
    if #contents > 0 then
      contents:insert(1, pandoc.RawBlock('openxml', PAGE_BREAK))
      doc.blocks = contents .. doc.blocks
    end
  end
  doc.meta['lnr-has-parts'] = nil
  doc.meta['lnr-figure-list'] = nil
  if #unknown > 0 then
    error('unknown cross-reference(s): @' .. table.concat(unknown, ', @')
          .. '; every @fig-/@tbl- reference needs a figure or table with that label')
  end
  return doc
end
