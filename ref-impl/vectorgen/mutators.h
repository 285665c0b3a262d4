/*
 * mutators.h: the named mutators of the scenario language (docs/scenarios.md). Each is data: a
 * name, the stage at which it acts, the reason a conforming verifier gives for it, and one line
 * saying what it does. The builder (build_*.c) implements each stage's mutators.
 */
#ifndef STIRMLS_VG_MUTATORS_H
#define STIRMLS_VG_MUTATORS_H

enum vg_stage {
    VG_STAGE_PKI,          /* re-issues or changes certificates before anything is built */
    VG_STAGE_CLAIMS,       /* changes PASSporT header/claims JSON before signing */
    VG_STAGE_TOKEN,        /* changes the signed compact PASSporT */
    VG_STAGE_CREDENTIAL,   /* changes the encoded Credential or what it is presented with */
    VG_STAGE_KEYPACKAGE,   /* changes KeyPackage fields before signing */
    VG_STAGE_BYTES,        /* changes the final encoded bytes */
    VG_STAGE_GROUP,        /* changes the GroupInfo (before or after signing) or the group's PublicMessage */
};

struct vg_mutator {
    const char *name;
    enum vg_stage stage;
    const char *reason; /* expected reason name, or "" where the outcome is a policy choice */
    const char *what;
};

const struct vg_mutator *vg_mutator_find(const char *name);
size_t vg_mutator_count(void);
const struct vg_mutator *vg_mutator_at(size_t i);

#endif
