// The reason table: every rule's reason code in Dutch and English, and explainReason that fills one in.
// Long because it is one table: every reason code (about 50) in both languages; a test checks none is missing.
import type { Lang } from './lang.js';
import type { Reason, ReasonCode } from './reason.js';
import { Params, type TextFn, type TextOptions } from './reason-params.js';

/** Every reason code in both languages. A test checks that no code lacks a text. */
export const REASON_TEXTS: Readonly<Record<ReasonCode, Readonly<Record<Lang, TextFn>>>> = {
  G0: {
    en: () =>
      'This is a service message (such as an order confirmation or invoice), so no consent for marketing is needed. Only a dead address stops it.',
    nl: () =>
      'Dit is een servicebericht (zoals een orderbevestiging of factuur), dus toestemming voor marketing is niet nodig. Alleen een onbestelbaar adres houdt het tegen.',
  },
  G1: {
    en: (p) =>
      `${p.has('objectedAt') ? `This person objected to direct marketing on ${p.date('objectedAt')}` : `This person unsubscribed on ${p.date('unsubscribedAt')}`}. Never send them marketing mail again.`,
    nl: (p) =>
      `${p.has('objectedAt') ? `Deze persoon heeft op ${p.date('objectedAt')} bezwaar gemaakt tegen direct marketing` : `Deze persoon heeft zich op ${p.date('unsubscribedAt')} afgemeld`}. Stuur nooit meer marketingmail.`,
  },
  G2: {
    en: (p) =>
      `This person reported your mail as spam on ${p.date('complaintAt')}${p.has('complaintSource') ? ` via ${p.complaintSource('complaintSource')}` : ''}. That counts as an unsubscribe: do not mail them again.`,
    nl: (p) =>
      `Deze persoon heeft je mail op ${p.date('complaintAt')} als spam gemeld${p.has('complaintSource') ? ` via ${p.complaintSource('complaintSource')}` : ''}. Dat telt als afmelding: mail deze persoon niet meer.`,
  },
  G3: {
    en: (p) =>
      `Mail to this address bounced permanently on ${p.date('hardBounceAt')}${p.has('hardBounceStatus') ? ` (${p.text('hardBounceStatus')})` : ''}: the address does not exist or refuses mail. Mailing it again harms your reputation with mail providers.`,
    nl: (p) =>
      `Mail naar dit adres kwam op ${p.date('hardBounceAt')} definitief terug${p.has('hardBounceStatus') ? ` (${p.text('hardBounceStatus')})` : ''}: het adres bestaat niet of weigert mail. Opnieuw mailen schaadt je reputatie bij mailproviders.`,
  },
  G4: {
    en: (p) =>
      `Mail to this address bounced ${p.number('count')} times in a row, from ${p.date('firstAt')} to ${p.date('lastAt')}, and nothing was delivered since. We stop mailing it to protect your reputation.`,
    nl: (p) =>
      `Mail naar dit adres kwam ${p.number('count')} keer achter elkaar terug, van ${p.date('firstAt')} tot ${p.date('lastAt')}, en sindsdien is niets afgeleverd. We mailen het niet meer om je reputatie te beschermen.`,
  },
  G5: {
    en: (p) =>
      `This consent was given to ${p.name('contactEntityId')}, but this mailing is sent by ${p.name('mailingEntityId')}. Consent only counts for the company that received it.`,
    nl: (p) =>
      `Deze toestemming is gegeven aan ${p.name('contactEntityId')}, maar deze mailing komt van ${p.name('mailingEntityId')}. Toestemming geldt alleen voor het bedrijf dat haar kreeg.`,
  },
  G6: {
    en: (p) =>
      `This person did not sign up for the list ${p.name('listId')} this mailing goes to. Consent only covers what they signed up for.`,
    nl: (p) =>
      `Deze persoon heeft zich niet aangemeld voor de lijst ${p.name('listId')} waar deze mailing naartoe gaat. Toestemming geldt alleen voor waarvoor iemand zich aanmeldde.`,
  },
  G7: {
    en: () =>
      "We don't know whether this is a private person or a business, so we apply the stricter rules for private persons.",
    nl: () =>
      'We weten niet of dit een particulier of een bedrijf is, dus gelden de strengere regels voor particulieren.',
  },
  D1: {
    en: (p) =>
      `Confirmed by clicking the link in a confirmation e-mail on ${p.date('confirmedAt')}, with all proof stored (times, IP addresses, browsers and the consent text they saw).`,
    nl: (p) =>
      `Bevestigd via de link in een bevestigingsmail op ${p.date('confirmedAt')}, met al het bewijs bewaard (tijden, IP-adressen, browsers en de toestemmingstekst die ze zagen).`,
  },
  D2: {
    en: (p) =>
      `Confirmed by e-mail link, but part of the proof is missing${p.fields('missing') ? `: ${p.fields('missing')}` : ''}.${p.has('confirmedBeforeSignup') ? ' The confirmation time is not after the sign-up time.' : ''} You may mail, but you could not fully prove the consent.`,
    nl: (p) =>
      `Bevestigd via een e-maillink, maar een deel van het bewijs ontbreekt${p.fields('missing') ? `: ${p.fields('missing')}` : ''}.${p.has('confirmedBeforeSignup') ? ' Het tijdstip van bevestigen ligt niet na het aanmelden.' : ''} Je mag mailen, maar je kunt de toestemming niet volledig bewijzen.`,
  },
  D3: {
    en: () =>
      'Confirmed by e-mail link, but it is not recorded which consent text they saw. Store the text version with every sign-up.',
    nl: () =>
      'Bevestigd via een e-maillink, maar er is niet vastgelegd welke toestemmingstekst ze zagen. Bewaar bij elke aanmelding de versie van de tekst.',
  },
  D4: {
    en: (p) =>
      `The confirmation link was clicked only ${p.number('seconds')} seconds after the e-mail was sent. That is often a virus scanner rather than the person, so this proof is weaker.`,
    nl: (p) =>
      `Op de bevestigingslink werd al ${p.number('seconds')} seconden na verzending geklikt. Dat is vaak een virusscanner en niet de persoon zelf, dus dit bewijs is zwakker.`,
  },
  D5: {
    en: () => 'The sign-up was never confirmed through the e-mail link, so it counts as a single opt-in.',
    nl: () => 'De aanmelding is nooit bevestigd via de e-maillink, dus telt als enkele opt-in.',
  },
  S1: {
    en: (p) =>
      `Signed up on ${p.date('signupAt')} via ${p.text('source')} without confirming by e-mail link. Nobody checked that the address is theirs, so mailing is at your own risk. Ask them to confirm to fix this.`,
    nl: (p) =>
      `Aangemeld op ${p.date('signupAt')} via ${p.text('source')} zonder bevestiging via een e-maillink. Niemand heeft gecontroleerd dat het adres van hen is, dus mailen is op eigen risico. Vraag om een bevestiging om dit op te lossen.`,
  },
  S2: {
    en: (p) =>
      `A sign-up without confirmation and without the basic proof (${p.fields('missing')}), so it counts as an address of unknown origin.`,
    nl: (p) =>
      `Een aanmelding zonder bevestiging en zonder het basisbewijs (${p.fields('missing')}), dus telt als adres van onbekende herkomst.`,
  },
  P1: {
    en: (p) =>
      `Consent given by phone on ${p.date('signupAt')} (call taken by ${p.text('phoneAgent')}). A phone call cannot prove the e-mail address is theirs, so mailing is at your own risk. Ask them to confirm by e-mail to fix this.`,
    nl: (p) =>
      `Toestemming telefonisch gegeven op ${p.date('signupAt')} (gesprek gevoerd door ${p.text('phoneAgent')}). Een telefoongesprek bewijst niet dat het e-mailadres van hen is, dus mailen is op eigen risico. Vraag om een bevestiging per e-mail om dit op te lossen.`,
  },
  Q1: {
    en: (p) =>
      `Consent given on paper on ${p.date('signupAt')} (scan ${p.text('paperScanRef')}). Paper cannot prove the e-mail address is theirs, so mailing is at your own risk. Ask them to confirm by e-mail to fix this.`,
    nl: (p) =>
      `Toestemming op papier gegeven op ${p.date('signupAt')} (scan ${p.text('paperScanRef')}). Papier bewijst niet dat het e-mailadres van hen is, dus mailen is op eigen risico. Vraag om een bevestiging per e-mail om dit op te lossen.`,
  },
  P2: {
    en: (p) =>
      `Phone consent without the basic proof (${p.fields('missing')}), so it counts as an address of unknown origin.`,
    nl: (p) =>
      `Telefonische toestemming zonder het basisbewijs (${p.fields('missing')}), dus telt als adres van onbekende herkomst.`,
  },
  Q2: {
    en: (p) =>
      `Paper consent without the basic proof (${p.fields('missing')}), so it counts as an address of unknown origin.`,
    nl: (p) =>
      `Toestemming op papier zonder het basisbewijs (${p.fields('missing')}), dus telt als adres van onbekende herkomst.`,
  },
  C1: {
    en: (p) =>
      `An existing customer: a paid order, last purchase on ${p.date('lastPurchaseAt')} (within ${p.number('months')} months), an opt-out was offered when the address was collected, and this mailing is about similar products.`,
    nl: (p) =>
      `Een bestaande klant: een betaalde bestelling, laatste aankoop op ${p.date('lastPurchaseAt')} (binnen ${p.number('months')} maanden), bij het verzamelen van het adres werd een afmeldmogelijkheid geboden, en deze mailing gaat over vergelijkbare producten.`,
  },
  C2: {
    en: (p) =>
      `An existing customer, but the last purchase was on ${p.date('lastPurchaseAt')}, more than ${p.number('months')} months ago. Still allowed, but the customer relationship is fading.`,
    nl: (p) =>
      `Een bestaande klant, maar de laatste aankoop was op ${p.date('lastPurchaseAt')}, meer dan ${p.number('months')} maanden geleden. Nog toegestaan, maar de klantrelatie raakt uit beeld.`,
  },
  C3: {
    en: (p) =>
      `The last purchase was on ${p.date('lastPurchaseAt')}, more than ${p.number('months')} months ago. That no longer counts as a current customer, so mailing is at your own risk.`,
    nl: (p) =>
      `De laatste aankoop was op ${p.date('lastPurchaseAt')}, meer dan ${p.number('months')} maanden geleden. Dat telt niet meer als huidige klant, dus mailen is op eigen risico.`,
  },
  C4: {
    en: (p) =>
      `Marked as a customer, but a paid purchase cannot be shown (missing: ${p.fields('missing')}). Without proof of a paid order, mailing is at your own risk.`,
    nl: (p) =>
      `Gemarkeerd als klant, maar een betaalde aankoop is niet aan te tonen (ontbreekt: ${p.fields('missing')}). Zonder bewijs van een betaalde bestelling is mailen op eigen risico.`,
  },
  C5: {
    en: (p) =>
      p.has('relationship')
        ? `This person only used something free${p.has('orderRef') ? ` (${p.text('orderRef')})` : ''} that is not part of a paid service. Nothing was sold, so they are not a customer and you need their explicit consent.`
        : `This person never paid${p.has('orderRef') ? ` for order ${p.text('orderRef')}` : ''} (a free account, trial, quote or contest). That does not make them a customer, so you need their explicit consent.`,
    nl: (p) =>
      p.has('relationship')
        ? `Deze persoon gebruikte alleen iets gratis${p.has('orderRef') ? ` (${p.text('orderRef')})` : ''} dat geen deel is van een betaalde dienst. Er is niets verkocht, dus dit is geen klant en je hebt uitdrukkelijke toestemming nodig.`
        : `Deze persoon heeft nooit betaald${p.has('orderRef') ? ` voor bestelling ${p.text('orderRef')}` : ''} (een gratis account, proefperiode, offerte of winactie). Dat maakt iemand geen klant, dus je hebt uitdrukkelijke toestemming nodig.`,
  },
  C6: {
    en: (p) =>
      `${p.text('optOut') === 'TERMS_ONLY' ? 'When the address was collected, the option to refuse mail was only in the terms or privacy statement' : 'When the address was collected, no option to refuse mail was offered'}. That cannot be repaired afterwards: ask for explicit consent instead.`,
    nl: (p) =>
      `${p.text('optOut') === 'TERMS_ONLY' ? 'Toen het adres werd verzameld, stond de mogelijkheid om mail te weigeren alleen in de voorwaarden of privacyverklaring' : 'Toen het adres werd verzameld, werd geen mogelijkheid geboden om mail te weigeren'}. Dat is achteraf niet te herstellen: vraag in plaats daarvan om uitdrukkelijke toestemming.`,
  },
  C7: {
    en: (p) =>
      `${p.has('missing') ? 'The text that offered the option to refuse mail when the address was collected is not recorded' : 'It is not known whether an option to refuse mail was offered when the address was collected'}, so mailing is at your own risk.`,
    nl: (p) =>
      `${p.has('missing') ? 'De tekst waarmee bij het verzamelen van het adres de mogelijkheid werd geboden om mail te weigeren, is niet vastgelegd' : 'Het is niet bekend of bij het verzamelen van het adres de mogelijkheid werd geboden om mail te weigeren'}, dus mailen is op eigen risico.`,
  },
  C8: {
    en: (p) =>
      `This mailing is about ${p.text('categories')}, which is not similar to what this customer bought (${p.text('purchaseCategories')}). Without consent you may only mail customers about products like the ones they bought.`,
    nl: (p) =>
      `Deze mailing gaat over ${p.text('categories')}, en dat lijkt niet op wat deze klant kocht (${p.text('purchaseCategories')}). Zonder toestemming mag je klanten alleen mailen over producten zoals die ze kochten.`,
  },
  C9: {
    en: (p) =>
      p.has('missing')
        ? 'It is not recorded what this customer bought, so we cannot check that this mailing is about similar products. Record purchase categories.'
        : 'This mailing has no product categories, so we cannot check that it is about products like the ones this customer bought. Add categories to the mailing.',
    nl: (p) =>
      p.has('missing')
        ? 'Er is niet vastgelegd wat deze klant kocht, dus we kunnen niet controleren of deze mailing over vergelijkbare producten gaat. Leg de productcategorieën van aankopen vast.'
        : 'Deze mailing heeft geen productcategorieën, dus we kunnen niet controleren of ze gaat over producten zoals die deze klant kocht. Voeg categorieën toe aan de mailing.',
  },
  C10: {
    en: () =>
      "This mailing promotes another company's products. Customers who did not give consent may only get mail about your own products.",
    nl: () =>
      'Deze mailing maakt reclame voor producten van een ander bedrijf. Klanten zonder toestemming mag je alleen mailen over je eigen producten.',
  },
  C11: {
    en: () =>
      'This person has a free account inside a service you also sell (the free tier of a paid service). The EU Court of Justice ruled on 13 November 2025 (Inteligo Media, C-654/23) that such an address can count as obtained "in the context of a sale". The Dutch regulator ACM reads the soft opt-in more strictly: only someone who paid is a customer, and "paying" with personal data does not count. Until ACM follows the ruling, mailing is at your own risk; ask for explicit consent to be sure.',
    nl: () =>
      'Deze persoon heeft een gratis account binnen een dienst die je ook verkoopt (de gratis variant van een betaalde dienst). Het Hof van Justitie van de EU oordeelde op 13 november 2025 (Inteligo Media, C-654/23) dat zo\'n adres kan gelden als verkregen "in het kader van de verkoop". Toezichthouder ACM leest de soft opt-in strenger: alleen wie betaald heeft is klant, en "betalen" met persoonsgegevens telt niet. Zolang ACM het arrest niet volgt, is mailen op eigen risico; vraag uitdrukkelijke toestemming om zeker te zijn.',
  },
  B1: {
    en: (p) =>
      `A business address that was published for this kind of offer (${p.text('publishedUrl')}, for: ${p.text('publishedPurpose')}). This narrow exception allows mail that fits that purpose only.`,
    nl: (p) =>
      `Een bedrijfsadres dat voor dit soort aanbiedingen is gepubliceerd (${p.text('publishedUrl')}, voor: ${p.text('publishedPurpose')}). Deze smalle uitzondering staat alleen mail toe die bij dat doel past.`,
  },
  B2: {
    en: (p) =>
      `Counted as a published business address, but the proof is incomplete (missing: ${p.fields('missing')}), so mailing is at your own risk.`,
    nl: (p) =>
      `Geteld als gepubliceerd bedrijfsadres, maar het bewijs is onvolledig (ontbreekt: ${p.fields('missing')}), dus mailen is op eigen risico.`,
  },
  B3: {
    en: (p) =>
      `The exception for published business addresses does not cover ${p.text('recipientKind') === 'CONSUMER' ? 'a private person' : p.text('recipientKind') === 'SOLE_TRADER' ? 'a sole trader' : 'a personal address'}. You need this person's consent.`,
    nl: (p) =>
      `De uitzondering voor gepubliceerde bedrijfsadressen geldt niet voor ${p.text('recipientKind') === 'CONSUMER' ? 'een particulier' : p.text('recipientKind') === 'SOLE_TRADER' ? 'een eenmanszaak of zzp’er' : 'een persoonlijk adres'}. Je hebt toestemming van deze persoon nodig.`,
  },
  U1: {
    en: () =>
      'It is unknown how this address was obtained, and there is no signed statement for the import. You cannot show consent, so do not mail it.',
    nl: () =>
      'Het is onbekend hoe dit adres is verkregen, en er is geen ondertekende verklaring bij de import. Je kunt geen toestemming aantonen, dus mail dit adres niet.',
  },
  U2: {
    en: (p) =>
      `It is unknown how this address was obtained. The signed import statement (${p.text('attestationId')}) does not replace consent, so mailing is at your own risk.`,
    nl: (p) =>
      `Het is onbekend hoe dit adres is verkregen. De ondertekende importverklaring (${p.text('attestationId')}) vervangt geen toestemming, dus mailen is op eigen risico.`,
  },
  T1: {
    en: () =>
      'This address comes from someone else (bought, rented, shared or collected from websites). Consent given to others does not count, and such lists contain spam traps. Do not mail it.',
    nl: () =>
      'Dit adres komt van een ander (gekocht, gehuurd, gedeeld of van websites verzameld). Toestemming aan anderen telt niet, en zulke lijsten bevatten spamvallen. Mail dit adres niet.',
  },
  A1: {
    en: (p) =>
      `The last sign of interest (sign-up, confirmation, click, reply or purchase) was on ${p.date('lastActivityAt')}, more than ${p.number('months')} months ago. Still allowed, but ask them to confirm again soon.`,
    nl: (p) =>
      `Het laatste teken van interesse (aanmelding, bevestiging, klik, antwoord of aankoop) was op ${p.date('lastActivityAt')}, meer dan ${p.number('months')} maanden geleden. Nog toegestaan, maar vraag binnenkort opnieuw om bevestiging.`,
  },
  A2: {
    en: (p) =>
      `The last sign of interest was on ${p.date('lastActivityAt')}, more than ${p.number('months')} months ago. Consent that old cannot be relied on, so mailing is at your own risk. Ask them to confirm again.`,
    nl: (p) =>
      `Het laatste teken van interesse was op ${p.date('lastActivityAt')}, meer dan ${p.number('months')} maanden geleden. Zo'n oude toestemming is niet meer betrouwbaar, dus mailen is op eigen risico. Vraag opnieuw om bevestiging.`,
  },
  K1: {
    en: (p) =>
      `This mailing measures ${p.includes('tracking', 'openPixel') && p.includes('tracking', 'clickRedirect') ? 'opens (a tracking pixel) and clicks (per-person links)' : p.includes('tracking', 'openPixel') ? 'opens with a tracking pixel' : 'clicks with per-person links'}, and this person has not consented to being tracked. Reading from or storing on their device needs their consent (ePrivacy Directive art. 5(3), EDPB Guidelines 2/2023). Send it to them without tracking, or leave them out.`,
    nl: (p) =>
      `Deze mailing meet ${p.includes('tracking', 'openPixel') && p.includes('tracking', 'clickRedirect') ? 'het openen (een trackingpixel) en klikken (persoonlijke links)' : p.includes('tracking', 'openPixel') ? 'het openen met een trackingpixel' : 'klikken met persoonlijke links'}, en deze persoon heeft geen toestemming gegeven om gevolgd te worden. Iets uitlezen van of opslaan op hun apparaat vraagt hun toestemming (e-Privacyrichtlijn art. 5(3), EDPB-richtsnoeren 2/2023). Stuur hun de mail zonder meten, of laat hen weg.`,
  },
  M1: {
    en: () =>
      "The mail does not say who you are. Put your company's legal or trade name in the sender name or the footer.",
    nl: () =>
      'De mail vermeldt niet wie je bent. Zet de (handels)naam van je bedrijf in de afzendernaam of de voettekst.',
  },
  M2: {
    en: () =>
      'The mail has no working unsubscribe link. Add one that is free, needs no login and asks no reasons.',
    nl: () =>
      'De mail heeft geen werkende afmeldlink. Voeg er een toe die gratis is, zonder inloggen werkt en niet naar redenen vraagt.',
  },
  M3: {
    en: (p) =>
      `For ${p.number('count')} recipients this is their first marketing mail, and it does not tell them they can object to direct marketing at any time. Add that sentence, clearly and separately.`,
    nl: (p) =>
      `Voor ${p.number('count')} ontvangers is dit de eerste marketingmail, en die vertelt niet dat ze altijd bezwaar kunnen maken tegen direct marketing. Voeg die zin toe, duidelijk en apart.`,
  },
  M5: {
    en: (p) =>
      `The footer lacks your ${p.fields('missing')}. Add them so recipients can see and reach who sends the mail.`,
    nl: (p) =>
      `In de voettekst ontbreekt je ${p.fields('missing')}. Voeg dat toe zodat ontvangers zien en kunnen bereiken wie de mail stuurt.`,
  },
  M6: {
    en: (p) =>
      p.includes('missing', 'List-Unsubscribe')
        ? 'The mail has no List-Unsubscribe header, which mail programs use for their unsubscribe button. Turn it on in the sending settings.'
        : `The mail lacks ${p.fields('missing')} in its headers. Gmail, Yahoo and Microsoft require one-click unsubscribe from ${p.number('bulkLimit')} messages a day; you expect ${p.number('dailyVolume')}.`,
    nl: (p) =>
      p.includes('missing', 'List-Unsubscribe')
        ? 'De mail heeft geen List-Unsubscribe-header, die mailprogramma’s gebruiken voor hun afmeldknop. Zet die aan in de verzendinstellingen.'
        : `In de headers van de mail ontbreekt ${p.fields('missing')}. Gmail, Yahoo en Microsoft eisen afmelden met één klik vanaf ${p.number('bulkLimit')} berichten per dag; jij verwacht er ${p.number('dailyVolume')}.`,
  },
  M7: {
    en: (p) =>
      (p.includes('missing', 'SPF')
        ? 'Both the SPF and the DKIM check fail for your domain, so mail providers cannot tell your mail really comes from you. Fix the DNS settings of your domain first.'
        : `Your domain lacks ${p.fields('missing')}. Gmail, Yahoo and Microsoft require it from ${p.number('bulkLimit')} messages a day; you expect ${p.number('dailyVolume')}.`) +
      authenticationSource(p, 'en'),
    nl: (p) =>
      (p.includes('missing', 'SPF')
        ? 'Zowel de SPF- als de DKIM-controle faalt voor je domein, dus mailproviders kunnen niet zien dat de mail echt van jou komt. Herstel eerst de DNS-instellingen van je domein.'
        : `Je domein mist ${p.fields('missing')}. Gmail, Yahoo en Microsoft eisen dat vanaf ${p.number('bulkLimit')} berichten per dag; jij verwacht er ${p.number('dailyVolume')}.`) +
      authenticationSource(p, 'nl'),
  },
  M10: {
    en: (p) =>
      `${p.percent('rate')} of the recipients of your previous mailing reported it as spam (the limit is ${p.percent('limit')}). Review your list and your content before you send again.`,
    nl: (p) =>
      `${p.percent('rate')} van de ontvangers van je vorige mailing meldde die als spam (de grens is ${p.percent('limit')}). Bekijk je lijst en je inhoud voordat je opnieuw verstuurt.`,
  },
  M11: {
    en: (p) =>
      `${p.percent('rate')} of the recipients of your previous mailing reported it as spam. From ${p.percent('limit')} mail providers start blocking you, so be careful.`,
    nl: (p) =>
      `${p.percent('rate')} van de ontvangers van je vorige mailing meldde die als spam. Vanaf ${p.percent('limit')} gaan mailproviders je blokkeren, dus let op.`,
  },
  M12: {
    en: (p) =>
      p.has('greyLimit')
        ? `${p.percent('rate')} of the addresses of your previous mailing bounced permanently. Remove dead addresses before it goes above ${p.percent('limit')}.`
        : `${p.percent('rate')} of the addresses of your previous mailing bounced permanently (more than ${p.percent('limit')}). Clean your list before you send again.`,
    nl: (p) =>
      p.has('greyLimit')
        ? `${p.percent('rate')} van de adressen van je vorige mailing kwam definitief terug. Verwijder onbestelbare adressen voordat het boven ${p.percent('limit')} komt.`
        : `${p.percent('rate')} van de adressen van je vorige mailing kwam definitief terug (meer dan ${p.percent('limit')}). Schoon je lijst op voordat je opnieuw verstuurt.`,
  },
  M13: {
    en: (p) =>
      `On ${p.date('at')} you received an abuse notice via ${p.abuseSource('source')}. For ${p.number('windowDays')} days after that, mailing is at your own risk and needs a signed risk statement.`,
    nl: (p) =>
      `Op ${p.date('at')} kreeg je een misbruikmelding via ${p.abuseSource('source')}. Tot ${p.number('windowDays')} dagen daarna is mailen op eigen risico en is een ondertekende risicoverklaring nodig.`,
  },
  M14: {
    en: () =>
      'Your sending server or domain is on a major blocklist. Get it removed from that list before you send.',
    nl: () =>
      'Je verzendserver of domein staat op een grote blocklist. Laat het eerst van die lijst halen voordat je verstuurt.',
  },
  M15: {
    en: (p) =>
      `${p.number('count')} recipients can only be mailed at your own risk. They are left out unless you sign the risk statement for exactly this group.${acknowledgementNote(p, 'en')}`,
    nl: (p) =>
      `${p.number('count')} ontvangers kun je alleen op eigen risico mailen. Ze worden overgeslagen tenzij je de risicoverklaring tekent voor precies deze groep.${acknowledgementNote(p, 'nl')}`,
  },
};

function acknowledgementNote(p: Params, lang: Lang): string {
  const status = p.text('acknowledgementStatus');
  if (status === 'MISMATCH') {
    return lang === 'en'
      ? ' The signed statement is for a different group of recipients: sign it again for this group.'
      : ' De getekende verklaring hoort bij een andere groep ontvangers: teken opnieuw voor deze groep.';
  }
  if (status === 'LAPSED') {
    return lang === 'en'
      ? ' The signed statement has lapsed because of a complaint, abuse notice or blocklisting since.'
      : ' De getekende verklaring is vervallen door een klacht, misbruikmelding of blocklisting sindsdien.';
  }
  return '';
}

/**
 * The text of one reason for a shop owner, in Dutch or English, with its parameters filled in (dates in
 * Dutch time as nl-NL or en-GB dates, entity and list names from `options.names`).
 *
 * @example
 * explainReason({ code: 'G1', classification: 'BLOCKED', params: { unsubscribedAt: '2026-03-01T10:00:00Z' } }, 'nl');
 * // 'Deze persoon heeft zich op 1 maart 2026 afgemeld. Stuur nooit meer marketingmail.'
 */
export function explainReason(reason: Reason, lang: Lang, options: TextOptions = {}): string {
  const texts = (REASON_TEXTS as Partial<Record<string, Readonly<Record<Lang, TextFn>>>>)[reason.code];
  if (texts === undefined) return lang === 'nl' ? `Regel ${reason.code}` : `Rule ${reason.code}`;
  return texts[lang](new Params(reason.params, lang, options));
}

/** M7: whether its results were read from DNS (and when) or only declared by the owner. */
function authenticationSource(p: Params, lang: Lang): string {
  const source = p.text('source');
  if (source === 'DNS')
    return lang === 'en'
      ? ` (Checked in DNS on ${p.date('checkedAt')}.)`
      : ` (Gecontroleerd in de DNS op ${p.date('checkedAt')}.)`;
  if (source === 'CACHED')
    return lang === 'en'
      ? ` (DNS could not be reached; this is the last DNS check, of ${p.date('checkedAt')}.)`
      : ` (De DNS was niet bereikbaar; dit is de laatste DNS-controle, van ${p.date('checkedAt')}.)`;
  if (source === 'DECLARED')
    return lang === 'en'
      ? ' (Declared, not checked: DNS could not be read, so this rests on what you stated in the SMTP profile.)'
      : ' (Opgegeven, niet gecontroleerd: de DNS kon niet worden gelezen, dus dit berust op wat je in het SMTP-profiel hebt opgegeven.)';
  return '';
}
