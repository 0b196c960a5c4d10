/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "oip-push-job.h"
#include "oip-push-plan.h"

G_BEGIN_DECLS

JsonNode *oip_push_json_image_errors (const GPtrArray   *errors);
JsonNode *oip_push_json_job        (OipPushJob          *job,
                                    const GError        *error);
JsonNode *oip_push_json_validation (const OipPushPlan   *plan);
JsonNode *oip_push_json_error      (const GError        *error);
JsonNode *oip_push_json_record     (const OipPushRecord *record);

G_END_DECLS
