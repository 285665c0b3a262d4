// tnauthlist.mjs: the RFC 8226 TNAuthList as an @peculiar/asn1-schema definition (written here;
// no npm package knows OID 1.3.6.1.5.5.7.1.26), and TN coverage.
//
//   TNAuthorizationList ::= SEQUENCE SIZE (1..MAX) OF TNEntry
//   TNEntry ::= CHOICE { spc [0] ServiceProviderCode, range [1] TelephoneNumberRange, one [2] TelephoneNumber }
//   TelephoneNumberRange ::= SEQUENCE { start TelephoneNumber, count INTEGER (2..MAX), ... }
//   TelephoneNumber ::= IA5String (SIZE (1..15)) (FROM ("0123456789#*"))
//   ServiceProviderCode ::= IA5String
// The module uses EXPLICIT tags (RFC 8226 §9). Plain JavaScript has no decorator syntax in
// Node 20, so the asn1-schema decorators are applied as functions.
//
// Glue (listed in README.md): the SIZE/FROM/count constraints below and the coverage rule;
// asn1-schema itself enforces only the structure, the tags and the string/integer types.
import { AsnArray, AsnParser, AsnProp, AsnPropTypes, AsnType, AsnTypeTypes } from '@peculiar/asn1-schema';

export const OID_TNAUTHLIST = '1.3.6.1.5.5.7.1.26';

export class TelephoneNumberRange {
  constructor() { this.start = ''; this.count = 0; }
}
AsnProp({ type: AsnPropTypes.IA5String })(TelephoneNumberRange.prototype, 'start');
AsnProp({ type: AsnPropTypes.Integer })(TelephoneNumberRange.prototype, 'count');
AsnType({ type: AsnTypeTypes.Sequence })(TelephoneNumberRange);

export class TNEntry {
  constructor() { this.spc = undefined; this.range = undefined; this.one = undefined; }
}
AsnProp({ type: AsnPropTypes.IA5String, context: 0, implicit: false })(TNEntry.prototype, 'spc');
AsnProp({ type: TelephoneNumberRange, context: 1, implicit: false })(TNEntry.prototype, 'range');
AsnProp({ type: AsnPropTypes.IA5String, context: 2, implicit: false })(TNEntry.prototype, 'one');
AsnType({ type: AsnTypeTypes.Choice })(TNEntry);

export class TNAuthorizationList extends AsnArray {
  constructor(items) { super(items); Object.setPrototypeOf(this, TNAuthorizationList.prototype); }
}
AsnType({ type: AsnTypeTypes.Sequence, itemType: TNEntry })(TNAuthorizationList);

const TN_RE = /^[0-9#*]{1,15}$/;

/** Decode the extension value (DER bytes) into [{spc}|{one}|{range:{start,count}}]; throws on error. */
export function decodeTNAuthList(der) {
  const list = AsnParser.parse(der, TNAuthorizationList);
  if (list.length === 0) throw new Error('TNAuthList is an empty SEQUENCE');
  const out = [];
  for (const e of list) {
    if (e.spc !== undefined) {
      if (e.spc.length === 0) throw new Error('empty ServiceProviderCode');
      out.push({ spc: e.spc });
    } else if (e.one !== undefined) {
      if (!TN_RE.test(e.one)) throw new Error(`TelephoneNumber "${e.one}" breaks SIZE(1..15) FROM("0123456789#*")`);
      out.push({ one: e.one });
    } else if (e.range !== undefined) {
      const count = Number(e.range.count);
      if (!TN_RE.test(e.range.start)) throw new Error(`range start "${e.range.start}" is not a TelephoneNumber`);
      if (!(count >= 2)) throw new Error(`range count ${e.range.count} below 2`);
      out.push({ range: { start: e.range.start, count } });
    } else {
      throw new Error('TNEntry with no known alternative');
    }
  }
  return out;
}

/** Identities in protocol form. */
export function tnAuthIdentities(entries) {
  return entries.map((e) => (e.one !== undefined ? { type: 'tn', value: e.one }
    : e.spc !== undefined ? { type: 'spc', value: e.spc }
      : { type: 'range', value: e.range.start, count: e.range.count }));
}

/**
 * Glue: is `tn` covered by the entries? "one" matches exactly; a range covers numbers of the same
 * length in [start, start+count-1]; an SPC covers any number only when the SPC is trusted by policy.
 * Returns 'covered' | 'spc_untrusted' | 'not_covered'.
 */
export function coverage(entries, tn, trustSpc = []) {
  let spcSeen = false;
  for (const e of entries) {
    if (e.one !== undefined && e.one === tn) return 'covered';
    if (e.range !== undefined && /^[0-9]+$/.test(tn) && /^[0-9]+$/.test(e.range.start)
        && tn.length === e.range.start.length) {
      const start = BigInt(e.range.start);
      const n = BigInt(tn);
      if (n >= start && n < start + BigInt(e.range.count)) return 'covered';
    }
    if (e.spc !== undefined) {
      spcSeen = true;
      if (trustSpc.includes(e.spc)) return 'covered';
    }
  }
  return spcSeen ? 'spc_untrusted' : 'not_covered';
}
