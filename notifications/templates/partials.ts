/**
 * Pieces shared by several messages, one per language and format. Plain-text partials are compiled
 * without HTML escaping (they never reach a browser); HTML partials keep Handlebars' escaping on.
 */
export const PARTIALS: Record<string, string> = {
  facts_it_html: `<table role="presentation" style="border-collapse:collapse;margin:12px 0">
<tr><th align="left" style="padding:2px 12px 2px 0">Quando</th><td>{{dateTime meeting.startsAt "it"}}</td></tr>
{{#if meeting.place}}<tr><th align="left" style="padding:2px 12px 2px 0">Dove</th><td>{{meeting.place}}</td></tr>{{/if}}
{{#if meeting.onlineUrl}}<tr><th align="left" style="padding:2px 12px 2px 0">Collegamento</th><td><a href="{{meeting.onlineUrl}}">{{meeting.onlineUrl}}</a></td></tr>{{/if}}
</table>{{#if meeting.urgent}}<p><strong>Seduta urgente.</strong></p>{{/if}}`,
  facts_en_html: `<table role="presentation" style="border-collapse:collapse;margin:12px 0">
<tr><th align="left" style="padding:2px 12px 2px 0">When</th><td>{{dateTime meeting.startsAt "en"}}</td></tr>
{{#if meeting.place}}<tr><th align="left" style="padding:2px 12px 2px 0">Where</th><td>{{meeting.place}}</td></tr>{{/if}}
{{#if meeting.onlineUrl}}<tr><th align="left" style="padding:2px 12px 2px 0">Online</th><td><a href="{{meeting.onlineUrl}}">{{meeting.onlineUrl}}</a></td></tr>{{/if}}
</table>{{#if meeting.urgent}}<p><strong>Urgent session.</strong></p>{{/if}}`,
  facts_it_text: `Quando: {{dateTime meeting.startsAt "it"}}
{{#if meeting.place}}Dove: {{meeting.place}}
{{/if}}{{#if meeting.onlineUrl}}Collegamento: {{meeting.onlineUrl}}
{{/if}}{{#if meeting.urgent}}Seduta urgente.
{{/if}}`,
  facts_en_text: `When: {{dateTime meeting.startsAt "en"}}
{{#if meeting.place}}Where: {{meeting.place}}
{{/if}}{{#if meeting.onlineUrl}}Online: {{meeting.onlineUrl}}
{{/if}}{{#if meeting.urgent}}Urgent session.
{{/if}}`,

  agenda_html: `<ol start="{{start}}">{{#each items}}<li><strong>{{title}}</strong>{{#if description}}<br>{{description}}{{/if}}
{{#if documents.length}}<ul>{{#each documents}}<li><a href="{{url}}">{{title}}</a></li>{{/each}}</ul>{{/if}}</li>
{{/each}}</ol>`,
  agenda_text: `{{#each items}}{{number @index ../start}}. {{title}}
{{#if description}}   {{description}}
{{/if}}{{#each documents}}   - {{title}}: {{url}}
{{/each}}{{/each}}`,

  answers_it_html: `<p>Per favore comunichi la sua partecipazione:</p>
<p><a href="{{answerLinks.present}}">Sarò presente</a> &middot; <a href="{{answerLinks.absent}}">Sarò assente</a> &middot; <a href="{{answerLinks.delegate}}">Invierò un delegato</a></p>`,
  answers_en_html: `<p>Please let us know whether you will attend:</p>
<p><a href="{{answerLinks.present}}">I will attend</a> &middot; <a href="{{answerLinks.absent}}">I will not attend</a> &middot; <a href="{{answerLinks.delegate}}">I will send a delegate</a></p>`,
  answers_it_text: `Per favore comunichi la sua partecipazione:
- Sarò presente: {{answerLinks.present}}
- Sarò assente: {{answerLinks.absent}}
- Invierò un delegato: {{answerLinks.delegate}}
`,
  answers_en_text: `Please let us know whether you will attend:
- I will attend: {{answerLinks.present}}
- I will not attend: {{answerLinks.absent}}
- I will send a delegate: {{answerLinks.delegate}}
`,

  signature_html: `<p>{{sender.name}}{{#if sender.role}}<br>{{sender.role}}{{/if}}</p>`,
  signature_text: `{{sender.name}}{{#if sender.role}}
{{sender.role}}{{/if}}`,
};
