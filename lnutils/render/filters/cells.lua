--[[
cells.lua: notebook cells -> report blocks (applied when one notebook is read).

The Python side (lnutils/render/notebooks.py) has already removed code, parameter
cells and text streams, and stored each cell's '#|' options as cell metadata,
which pandoc's ipynb reader gives us as attributes of the cell's Div. Here:

- an image output becomes a Figure: id from 'label' (fig-...), caption from
  'fig-cap', alt text from 'fig-alt';
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

local function figure_from(image, id, cap, alt)
  if alt then
    image.caption = inlines_of(alt)
  end
  if (cap == nil or cap == '') and id == '' then
    return pandoc.Para{image}
  end
  local caption = {long = pandoc.Blocks{pandoc.Plain(inlines_of(cap))}}
  return pandoc.Figure(pandoc.Plain{image}, caption, pandoc.Attr(id))
end

local function tables_in_html(text)
  local tables = pandoc.List{}
  pandoc.read(text, 'html').blocks:walk{
    Table = function(tbl) tables:insert(tbl) end
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
          local id = numbered_id(label, 'fig', nfig)
          out:insert(figure_from(block.content[1], id, attrs['fig-cap'], attrs['fig-alt']))
        elseif block.t == 'RawBlock' and block.format == 'html' then
          for _, tbl in ipairs(tables_in_html(block.text)) do
            ntbl = ntbl + 1
            tbl.identifier = numbered_id(label, 'tbl', ntbl)
            if attrs['tbl-cap'] then
              tbl.caption = {long = pandoc.Blocks{pandoc.Plain(inlines_of(attrs['tbl-cap']))}}
            end
            out:insert(tbl)
          end
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
