/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "oip-ozon-client.h"

G_BEGIN_DECLS

/* A bulk push starts from what the seller already has: a spreadsheet
 * exported as CSV, or a photo studio's folder of folders. This reads either
 * into a list of products and their images, and a list of problems, without
 * touching the network; looking the products up, checking the images and
 * sending them come later. */

/* Refused before parsing: a spreadsheet of even 100 000 products is a few
 * megabytes. */
#define OIP_BULK_CSV_MAX_SIZE (64 * 1024 * 1024)
/* Ozon's offer_id length limit as sellers know it from the portal;
 * shared/ozon-api.md does not give it [UNCONFIRMED]: one place to change. */
#define OIP_BULK_OFFER_ID_MAX_CHARS 50
/* ozon.json in a product folder is a few names, not a document. */
#define OIP_BULK_SIDECAR_MAX_SIZE (64 * 1024)

/**
 * OipBulkProblem:
 * @line: 1-based line of the CSV where the row starts, 0 for folders
 * @where: “products.csv:12”, or a path relative to the folder that was read
 *   (“ART-1001/notes.txt”), for the seller to find the spot
 * @code: stable and untranslated (“duplicate_identifier”, “not_a_picture”,
 *   …), for JSON output, filters and tests; the codes are listed in
 *   oip-bulk-input.c
 * @message: translated, for the seller
 *
 * Something in the input the seller should know about. Where it sits says
 * what it did: in #OipBulkInput.problems a row or file that was left out,
 * or a notice about the whole input; in #OipBulkEntry.problems something
 * about a product that is still in the list.
 */
typedef struct
{
  guint       line;
  char       *where;
  const char *code;
  char       *message;
} OipBulkProblem;

/**
 * OipBulkEntry:
 * @key: which identifier the input gave (folders always give offer IDs)
 * @value: the identifier as given, trimmed; not yet looked up, so it may
 *   name a product that does not exist
 * @images: (element-type utf8): addresses in display order, main image
 *   first: http(s) URLs exactly as written, or file:// URIs of local
 *   pictures; never empty. There may be more than Ozon accepts: the push
 *   plan truncates and says so.
 * @color_image: (nullable): the color swatch, not among @images
 * @local_bytes: total size of the local files among @images and
 *   @color_image (what the review shows as the upload size); 0 from
 *   oip_bulk_input_parse_csv(), which reads no files
 * @line: first CSV line of this product, 0 for folders
 * @where: “products.csv:12” or the product folder's name
 * @problems: (element-type OipBulkProblem): what concerns this product but
 *   did not drop it
 *
 * One product to push.
 */
typedef struct
{
  OipProductKey  key;
  char          *value;
  GPtrArray     *images;
  char          *color_image;
  guint64        local_bytes;
  guint          line;
  char          *where;
  GPtrArray     *problems;
} OipBulkEntry;

/**
 * OipBulkInput:
 * @entries: (element-type OipBulkEntry): one per product, in input order
 * @problems: (element-type OipBulkProblem): rows and files that were left
 *   out, and notices about the whole input
 */
typedef struct
{
  GPtrArray *entries;
  GPtrArray *problems;
} OipBulkInput;

void           oip_bulk_problem_free             (OipBulkProblem       *problem);
void           oip_bulk_entry_free               (OipBulkEntry         *entry);
void           oip_bulk_input_free               (OipBulkInput         *input);
OipBulkEntry  *oip_bulk_input_find               (OipBulkInput         *input,
                                                  const char           *value);
guint          oip_bulk_input_count_problems     (OipBulkInput         *input);

OipBulkInput  *oip_bulk_input_parse_csv          (const char           *data,
                                                  gsize                 length,
                                                  GFile                *csv_file,
                                                  GError              **error);
void           oip_bulk_input_read_csv_async     (GFile                *file,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
OipBulkInput  *oip_bulk_input_read_csv_finish    (GAsyncResult         *result,
                                                  GError              **error);

void           oip_bulk_input_read_folder_async  (GFile                *folder,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
OipBulkInput  *oip_bulk_input_read_folder_finish (GAsyncResult         *result,
                                                  GError              **error);

int            oip_bulk_natural_compare          (const char           *a,
                                                  const char           *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OipBulkProblem, oip_bulk_problem_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OipBulkEntry, oip_bulk_entry_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (OipBulkInput, oip_bulk_input_free)

G_END_DECLS
