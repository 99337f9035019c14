/**
 * `npx tsx api/meetings/verbale/default-template.ts` writes the default template of the draft verbale,
 * bozza-verbale.docx, beside this file: a plain Word document with docxtemplater tags (docs/seduta.md lists
 * them). An office replaces it with its own letterhead by saving a DOCX with the same tags as
 * `$DATA_DIR/modelli/bozza-verbale.docx`; this script only rebuilds the shipped default.
 */
import PizZip from 'pizzip';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const W = 'http://schemas.openxmlformats.org/wordprocessingml/2006/main';

const escape = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** One paragraph of one run; `style` is a paragraph style id from styles.xml. */
function p(text: string, style?: string, bold = false): string {
  const pPr = style ? `<w:pPr><w:pStyle w:val="${style}"/></w:pPr>` : '';
  const rPr = bold ? '<w:rPr><w:b/></w:rPr>' : '';
  return `<w:p>${pPr}<w:r>${rPr}<w:t xml:space="preserve">${escape(text)}</w:t></w:r></w:p>`;
}

const body = [
  p('{ambito}', 'Intestazione'),
  p('Verbale della seduta {#urgente}urgente {/urgente}di {organo}', 'Title'),
  p('Il giorno {data}, alle ore {ora}, {luogo}, si è riunito l’organo «{organo}», convocato {convocazione}.'),
  p('Presenze', 'Heading1'),
  p('Presenti', 'Heading2'),
  p('{#presenti}'),
  p('{seggio}: {nome}{#arrivo} (arrivo alle ore {arrivo}){/arrivo}'),
  p('{/presenti}'),
  p('{^presenti}'),
  p('Nessuno.'),
  p('{/presenti}'),
  p('Rappresentati da un delegato', 'Heading2'),
  p('{#rappresentati}'),
  p('{seggio}: {titolare}, rappresentato/a da {delegato}{#arrivo} (arrivo alle ore {arrivo}){/arrivo}'),
  p('{/rappresentati}'),
  p('{^rappresentati}'),
  p('Nessuno.'),
  p('{/rappresentati}'),
  p('Assenti giustificati', 'Heading2'),
  p('{#giustificati}'),
  p('{seggio}: {nome}'),
  p('{/giustificati}'),
  p('{^giustificati}'),
  p('Nessuno.'),
  p('{/giustificati}'),
  p('Assenti', 'Heading2'),
  p('{#assenti}'),
  p('{seggio}: {nome}'),
  p('{/assenti}'),
  p('{^assenti}'),
  p('Nessuno.'),
  p('{/assenti}'),
  p('Quorum', 'Heading2'),
  p('{quorum}'),
  p('Ordine del giorno', 'Heading1'),
  p('{#punti}'),
  p('{numero}. {titolo}', 'Heading2'),
  p('{#descrizione}'),
  p('{descrizione}'),
  p('{/descrizione}'),
  p('[Sintesi della discussione e decisioni]'),
  p('{/punti}'),
  p('Firme', 'Heading1'),
  p('Il Presidente ______________________          Il Segretario verbalizzante ______________________'),
].join('');

const documentXml = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="${W}"><w:body>${body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1417" w:right="1134" w:bottom="1134" w:left="1134" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr></w:body></w:document>`;

const style = (id: string, name: string, size: number, bold: boolean, spaceBefore: number) =>
  `<w:style w:type="paragraph" w:styleId="${id}"><w:name w:val="${name}"/><w:basedOn w:val="Normal"/><w:next w:val="Normal"/><w:qFormat/>` +
  `<w:pPr><w:keepNext/><w:spacing w:before="${spaceBefore}" w:after="120"/></w:pPr>` +
  `<w:rPr>${bold ? '<w:b/>' : ''}<w:sz w:val="${size}"/></w:rPr></w:style>`;

const stylesXml = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="${W}">
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Titillium Web" w:hAnsi="Titillium Web" w:cs="Arial"/><w:sz w:val="22"/><w:lang w:val="it-IT"/></w:rPr></w:rPrDefault>
<w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="276" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>
${style('Title', 'Title', 36, true, 240)}
${style('Heading1', 'heading 1', 28, true, 360)}
${style('Heading2', 'heading 2', 24, true, 240)}
${style('Intestazione', 'Intestazione ente', 20, false, 0)}
</w:styles>`;

const contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
</Types>`;

const rels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>`;

const documentRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>`;

const zip = new PizZip();
zip.file('[Content_Types].xml', contentTypes);
zip.file('_rels/.rels', rels);
zip.file('word/document.xml', documentXml);
zip.file('word/_rels/document.xml.rels', documentRels);
zip.file('word/styles.xml', stylesXml);
const out = join(dirname(fileURLToPath(import.meta.url)), 'bozza-verbale.docx');
writeFileSync(out, zip.generate({ type: 'nodebuffer', compression: 'DEFLATE' }));
console.log(`Scritto ${out}`);
