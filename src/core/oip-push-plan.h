/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "oip-push-request.h"

G_BEGIN_DECLS

/* The seed's contract (shared/seed): these are the limits the seller sees,
 * whatever Ozon's own (50 in 2026) happens to be this month. */
#define OIP_MAX_IMAGES        30
#define OIP_MAX_IMAGES360     70
#define OIP_MAX_COLOR_IMAGES   1

typedef enum
{
  OIP_ISSUE_INVALID_URL,
  OIP_ISSUE_DUPLICATE_URL,
  OIP_ISSUE_INVALID_PRODUCT_ID,
  OIP_ISSUE_MISSING_PRODUCT_ID,
} OipIssueKind;

/**
 * OipValidationIssue:
 * @url: the URL; for a field that is not a URL (product_id), the value as
 *   it was given, empty when it is missing
 *
 * One entry of the seed's `errors` list: which field, which index, which
 * URL and why it cannot be sent. Fields that are not URLs have no index;
 * oip_issue_is_url() tells them apart.
 */
typedef struct
{
  OipIssueKind kind;
  char        *field;
  guint        index;
  char        *url;
} OipValidationIssue;

typedef enum
{
  OIP_NOTICE_TRUNCATED,
  OIP_NOTICE_IMAGES360_UNSUPPORTED,
} OipNoticeKind;

/**
 * OipNotice:
 *
 * Something the push does differently from what was asked, said out loud
 * instead of done silently: extra images dropped, 360° images not sent.
 */
typedef struct
{
  OipNoticeKind kind;
  char         *field;
  guint         kept;
  guint         dropped;
} OipNotice;

/**
 * OipPushPlan:
 * @product_id: the product to update
 * @images: (element-type utf8): what is sent, in display order, main first
 *   unless @primary_image says otherwise
 * @images360: (element-type utf8): kept for the result; never sent
 * @color_image: (nullable): the color image to send
 * @primary_image: (nullable): the main image, when it is not @images[0]
 * @errors: (element-type OipValidationIssue): what blocks sending
 * @notices: (element-type OipNotice): what changes without blocking
 */
typedef struct
{
  gint64     product_id;
  GPtrArray *images;
  GPtrArray *images360;
  char      *color_image;
  char      *primary_image;
  GPtrArray *errors;
  GPtrArray *notices;
} OipPushPlan;

OipPushPlan *oip_push_plan_new          (const OipPushRequest *request,
                                         gboolean              validate_urls);
void         oip_push_plan_free         (OipPushPlan          *plan);
gboolean     oip_push_plan_check        (const OipPushPlan    *plan,
                                         GError              **error);
const char  *oip_issue_reason           (OipIssueKind          kind);
gboolean     oip_issue_is_url           (OipIssueKind          kind);
char        *oip_notice_describe        (const OipNotice      *notice);
const char  *oip_notice_code            (OipNoticeKind         kind);
OipNotice   *oip_notice_copy            (const OipNotice      *notice);
void         oip_notice_free            (OipNotice            *notice);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OipPushPlan, oip_push_plan_free)

G_END_DECLS
