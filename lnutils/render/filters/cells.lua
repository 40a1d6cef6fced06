--[[
cells.lua: notebook cells -> report blocks (applied when one notebook is read).

The Python side (lnutils/render/notebooks.py) has already removed code, parameter
cells and text streams, and stored each cell's '#|' options as cell metadata,
which pandoc's ipynb reader gives us as attributes of the cell's Div. Here:

- an image output becomes a Figure: id from 'label' (fig-...), caption from
  'fig-cap', alt text from 'fig-alt'; without those options, the caption and alt
  text in the output's metadata (lnutils.display.show_figure) are used, and the
  output's own 'label' when the cell has none (lnutils.chapters.sections); the
  figure's numbers follow it for the HTML (lnutils.render.figure_data);
- an HTML table output (a pandas DataFrame) is read into a real pandoc Table, so
  that it survives in DOCX too; 'label' (tbl-...) and 'tbl-cap' give its id and
  caption;
- the cell wrappers are dropped, leaving plain report blocks.
Numbering and cross-references come later, on the merged report (report.lua).
]]

local function inlines_of(markdown_text)
  local doc = pandoc.read(markdown_text or '', 'markdown+smart')
  if #doc.blocks == 0 then
    return pandoc.Inlines{}
  end
  return pandoc.utils.blocks_to_inlines(doc.blocks)
end

-- Text written by code (lnutils.display.show_figure) is plain, never markdown.
local function plain_inlines(text)
  local out = pandoc.Inlines{}
  for word in (text or ''):gmatch('%S+') do
    if #out > 0 then out:insert(pandoc.Space()) end
    out:insert(pandoc.Str(word))
  end
  return out
end

-- The figure's numbers (lnutils.render.notebooks puts them in the attribute lnr-table
-- as JSON: columns, rows of formatted strings, align) go on, as they are, in an empty
-- Div of class lnr-figure-data under the figure: only the HTML shows them, and
-- lnutils.render.figure_data makes them a table for it after the pieces are merged.
local function figure_data(json_text)
  return pandoc.Div({}, pandoc.Attr('', {'lnr-figure-data'}, {['lnr-table'] = json_text}))
end

local function figure_from(image, id, cap, alt)
  -- Cell options win; else the caption and alt text the figure's output carries.
  local meta_cap, meta_alt = image.attributes['caption'], image.attributes['alt']
  image.attributes['caption'] = nil
  image.attributes['alt'] = nil
  if alt then
    image.caption = inlines_of(alt)
  elseif meta_alt and meta_alt ~= '' then
    image.caption = plain_inlines(meta_alt)
  end
  if (cap == nil or cap == '') and meta_cap and meta_cap ~= '' then
    if id == '' then id = nil end
    local caption = {long = pandoc.Blocks{pandoc.Plain(plain_inlines(meta_cap))}}
    return pandoc.Figure(pandoc.Plain{image}, caption, pandoc.Attr(id or ''))
  end
  if (cap == nil or cap == '') and id == '' then
    return pandoc.Para{image}
  end
  local caption = {long = pandoc.Blocks{pandoc.Plain(inlines_of(cap))}}
  return pandoc.Figure(pandoc.Plain{image}, caption, pandoc.Attr(id))
end

-- A pandas DataFrame with its default index shows a column 0, 1, 2, ... under
-- an empty heading: row numbers, not data. Such a column is dropped.
local function is_range_index(tbl)
  if #tbl.head.rows == 0 or #tbl.bodies ~= 1 then return false end
  for _, row in ipairs(tbl.head.rows) do
    local first = row.cells[1]
    if not first or #first.contents > 0 or first.col_span ~= 1 or first.row_span ~= 1 then
      return false
    end
  end
  local rows = tbl.bodies[1].body
  if #rows == 0 then return false end
  for i, row in ipairs(rows) do
    local cell = row.cells[1]
    if not cell or cell.row_span ~= 1 or cell.col_span ~= 1
        or pandoc.utils.stringify(cell.contents) ~= tostring(i - 1) then
      return false
    end
  end
  return true
end

local function drop_first_column(tbl)
  tbl.colspecs:remove(1)
  for _, row in ipairs(tbl.head.rows) do row.cells:remove(1) end
  local body = tbl.bodies[1]
  for _, row in ipairs(body.body) do row.cells:remove(1) end
  body.row_head_columns = 0
  tbl.bodies[1] = body
  return tbl
end

-- A DataFrame with named index levels has two heading rows: the column names
-- (and perhaps the columns' own name over the index), then the index names alone.
-- When the second row holds only those index names, the two become one row.
local function merge_index_header(tbl)
  local rows = tbl.head.rows
  if #rows ~= 2 or #rows[1].cells ~= #rows[2].cells then return tbl end
  local top, second = rows[1], rows[2]
  local k = 0  -- index names fill the first k cells of the second row
  while k < #second.cells and #second.cells[k + 1].contents > 0 do k = k + 1 end
  if k == 0 then return tbl end
  for i = k + 1, #second.cells do
    if #second.cells[i].contents > 0 or second.cells[i].col_span ~= 1 then return tbl end
  end
  for i = 1, k do
    if top.cells[i].col_span ~= 1 then return tbl end
    top.cells[i].contents = second.cells[i].contents
  end
  tbl.head.rows = pandoc.List{top}
  return tbl
end

-- pandas writes 4.61; the report writes 4,61. Cells that hold nothing but a
-- decimal number (perhaps with a per cent sign) get a decimal comma.
local function decimal_comma(cell)
  return cell:walk{
    Str = function(str)
      local text = str.text
      if text:match('^[-−]?%d+%.%d+%%?$') then
        return pandoc.Str((text:gsub('%.', ',')))
      end
    end
  }
end

local function norwegian_numbers(tbl)
  for _, body in ipairs(tbl.bodies) do
    for _, row in ipairs(body.body) do
      for i, cell in ipairs(row.cells) do
        row.cells[i] = decimal_comma(cell)
      end
    end
  end
  return tbl
end

-- What a cell's code printed (tables, Markdown results) holds text from data. The
-- chapters escape it (lnutils.literal); as a second guard, such content is
-- read without raw HTML/TeX, math, citations or attributes, and whatever still came
-- out as a link to elsewhere, an image or raw markup becomes plain text.
local OUTPUT_MARKDOWN = 'markdown+smart-raw_html-raw_tex-raw_attribute-tex_math_dollars'
  .. '-tex_math_single_backslash-citations-native_divs-native_spans-fenced_divs'
  .. '-bracketed_spans-link_attributes-inline_notes-footnotes-implicit_figures'
  .. '-yaml_metadata_block-markdown_in_html_blocks-inline_code_attributes'

local function inert(blocks)
  return blocks:walk{
    Link = function(link)
      if link.target:sub(1, 1) == '#' then return nil end
      return pandoc.Span(link.content)
    end,
    Image = function(img)
      return pandoc.Str(pandoc.utils.stringify(img.caption))
    end,
    RawInline = function(raw) return pandoc.Str(raw.text) end,
    RawBlock = function(raw) return pandoc.Para{pandoc.Str(raw.text)} end,
    Math = function(math) return pandoc.Str(math.text) end,
    Cite = function(cite) return pandoc.Str(pandoc.utils.stringify(cite)) end,
  }
end

local function tables_in_html(text)
  local tables = pandoc.List{}
  pandoc.read(text, 'html').blocks:walk{
    Table = function(tbl)
      tbl = merge_index_header(tbl)
      if is_range_index(tbl) then tbl = drop_first_column(tbl) end
      tbl = norwegian_numbers(tbl)
      for _, row in ipairs(tbl.head.rows) do row.attributes = {} end  -- pandas' inline style
      tbl.classes = pandoc.List{}  -- "dataframe" and its border attribute mean nothing here
      tbl.attributes = {}
      tables:insert(inert(pandoc.Blocks{tbl})[1])
    end
  }
  return tables
end

local function numbered_id(label, prefix, n)
  if not label or not label:match('^' .. prefix .. '%-') then
    return ''
  end
  if n == 1 then
    return label
  end
  return label .. '-' .. n
end

local function code_cell(div)
  local attrs = div.attributes
  local label = attrs['label']
  local out = pandoc.Blocks{}
  local nfig, ntbl = 0, 0
  for _, output in ipairs(div.content) do
    if output.t == 'Div' and output.classes:includes('output') then
      for _, block in ipairs(output.content) do
        local single = (block.t == 'Para' or block.t == 'Plain') and #block.content == 1
        if single and block.content[1].t == 'Image' then
          nfig = nfig + 1
          local image = block.content[1]
          local id = numbered_id(label, 'fig', nfig)
          -- A generic chapter labels each figure in its output (show_section: one cell,
          -- many figures); a cell option still wins.
          local own = image.attributes['label']
          image.attributes['label'] = nil
          if id == '' and own and own:match('^fig%-[%w%-]+$') then id = own end
          local numbers = image.attributes['lnr-table']
          image.attributes['lnr-table'] = nil
          out:insert(figure_from(image, id, attrs['fig-cap'], attrs['fig-alt']))
          local data = numbers and figure_data(numbers)
          if data then out:insert(data) end
        elseif block.t == 'RawBlock' and block.format == 'html' then
          for _, tbl in ipairs(tables_in_html(block.text)) do
            ntbl = ntbl + 1
            tbl.identifier = numbered_id(label, 'tbl', ntbl)
            if attrs['tbl-cap'] then
              tbl.caption = {long = pandoc.Blocks{pandoc.Plain(inlines_of(attrs['tbl-cap']))}}
            end
            out:insert(tbl)
          end
        elseif block.t == 'RawBlock' and block.format == 'markdown' then
          -- Markdown(...) results arrive raw; the HTML and DOCX writers would drop them.
          out:extend(inert(pandoc.read(block.text, OUTPUT_MARKDOWN).blocks))
        elseif block.t ~= 'CodeBlock' then
          out:insert(block)  -- markdown output of the cell
        end
      end
    end
  end
  return out
end

function Div(div)
  if not div.classes:includes('cell') then
    return nil
  end
  if div.classes:includes('code') then
    return code_cell(div)
  end
  return div.content
end
