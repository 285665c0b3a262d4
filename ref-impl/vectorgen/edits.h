/*
 * edits.h: byte edits of a case's encoded Credential or KeyPackage (the `edits:` key of the scenario
 * language, docs/scenarios.md). The artefact is cut into its named fields, one edit replaces a
 * field's value, encoding, vector body or length header, and a KeyPackage's LeafNode and KeyPackage
 * signatures are then made again over the edited bytes, so the edited field is the only fault.
 */
#ifndef STIRMLS_VG_EDITS_H
#define STIRMLS_VG_EDITS_H

/* NULL-terminated lists for the loader: the field names and the signature forms. */
extern const char *const vg_edit_fields[];
extern const char *const vg_edit_der_forms[];

#endif
