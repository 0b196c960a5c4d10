/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A seller's spreadsheet, exported as CSV, read into bulk entries.
 *
 * The rules (also in oip_bulk_input_parse_csv()'s documentation):
 * - UTF-8, with or without a byte order mark; CRLF, LF or CR line ends;
 *   RFC 4180 quoting ("" is a quote; quoted cells may hold delimiters and
 *   line breaks). Text after a closing quote is kept, as spreadsheets do.
 * - The delimiter is a comma or a semicolon, whichever the header row has
 *   more of outside quotes; Excel's “sep=;” first line also says it.
 * - Header names are matched without regard to case, with spaces and
 *   hyphens read as underscores (“Offer ID” is offer_id).
 * - One identifier column: offer_id, product_id or sku.
 * - Either an images column (several addresses per cell, one row per
 *   product), or one row per image: image (or images) and position.
 *   Optional primary_image and color_image; empty optional cells are fine.
 * - In an images cell, addresses are separated by white space (line breaks
 *   included) and |; a comma or semicolon also separates when white space,
 *   the end of the cell or another address (http://, https://, file://, /,
 *   ./, ../, ~/) follows it, so commas inside a URL stay
 *   (…/w_100,h_200/…). Cells of image, primary_image and color_image hold
 *   one address each, so a path with spaces works there.
 * - Local paths (/…, ./…, ../…, ~/…) become file:// URIs; relative ones
 *   are relative to the CSV's folder. Everything else is kept as written
 *   and checked later, with the push plan.
 */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <glib/gi18n-lib.h>

#include "oip-bulk-input-private.h"
#include "oip-error.h"
#include "oip-url.h"

typedef enum
{
  COL_OFFER_ID,
  COL_PRODUCT_ID,
  COL_SKU,
  COL_IMAGES,
  COL_IMAGE,
  COL_POSITION,
  COL_PRIMARY,
  COL_COLOR,
  N_COLUMNS
} Column;

static const char * const column_names[N_COLUMNS] = {
  "offer_id", "product_id", "sku", "images", "image", "position", "primary_image", "color_image",
};

typedef enum
{
  CSV_ROW,
  CSV_UNCLOSED,
  CSV_END,
} CsvStatus;

typedef struct
{
  const char *data;
  gsize       length;
  gsize       pos;
  guint       line;         /* the line of data[pos] */
  char        delimiter;
  /* An opening quote already known never to close: a later read of the
   * same cell fails at once instead of scanning to the end again. */
  gsize       unclosed_at;

  GPtrArray  *cells;        /* GString, reused from row to row */
  guint       n_cells;
  gsize       row_start;
  gsize       row_end;
  guint       row_line;
} CsvReader;

typedef struct
{
  guint  position;
  guint  line;
  char  *address;
} PendingImage;

typedef struct
{
  OipBulkEntry *entry;
  GArray       *pending;    /* PendingImage, one row per image */
  char         *primary;
  guint         primary_line;
  guint         color_line;
} Product;

typedef struct
{
  const char   *name;       /* for “products.csv:12” */
  const char   *base_dir;
  int           columns[N_COLUMNS];
  guint         n_header;
  guint         n_named;    /* up to the last column with a name */
  Column        id_column;
  Column        image_column;
  gboolean      per_image;
  GPtrArray    *products;   /* Product, in order of first appearance */
  GHashTable   *by_value;   /* identifier → Product (borrowed) */
  OipBulkInput *input;
} CsvParse;

/* g_string_free() takes two arguments: as a GDestroyNotify its second one
 * would be garbage and sometimes keep the text (found by the fuzzer). */
static void
cell_free (gpointer data)
{
  g_string_free (data, TRUE);
}

static void
pending_image_clear (gpointer data)
{
  g_free (((PendingImage *) data)->address);
}

static void
product_free (Product *product)
{
  if (product->entry != NULL)
    oip_bulk_entry_free (product->entry);
  g_clear_pointer (&product->pending, g_array_unref);
  g_free (product->primary);
  g_free (product);
}

/* ---- The tokenizer ---- */

static gboolean
csv_skip_line_end (CsvReader *r)
{
  if (r->pos < r->length && r->data[r->pos] == '\r')
    {
      r->pos++;
      if (r->pos < r->length && r->data[r->pos] == '\n')
        r->pos++;
      r->line++;
      return TRUE;
    }
  if (r->pos < r->length && r->data[r->pos] == '\n')
    {
      r->pos++;
      r->line++;
      return TRUE;
    }
  return FALSE;
}

static GString *
csv_next_cell (CsvReader *r)
{
  GString *cell;

  if (r->n_cells == r->cells->len)
    g_ptr_array_add (r->cells, g_string_sized_new (64));
  cell = g_ptr_array_index (r->cells, r->n_cells++);
  g_string_truncate (cell, 0);
  return cell;
}

/* The row is lost; reading goes on with the line after its first one, so
 * one stray quote costs one row, not the rest of the file. */
static CsvStatus
csv_unclosed (CsvReader *r)
{
  gsize p = r->row_start;

  while (p < r->length && r->data[p] != '\n' && r->data[p] != '\r')
    p++;
  r->row_end = p;
  r->pos = p;
  r->line = r->row_line;
  csv_skip_line_end (r);
  return CSV_UNCLOSED;
}

static CsvStatus
csv_read_row (CsvReader *r)
{
  const char *d = r->data;
  gsize n = r->length;

  r->n_cells = 0;
  r->row_start = r->pos;
  r->row_line = r->line;
  if (r->pos >= n)
    return CSV_END;

  for (;;)
    {
      GString *cell = csv_next_cell (r);
      gsize span;

      if (r->pos < n && d[r->pos] == '"')
        {
          gsize open = r->pos;
          gboolean closed = FALSE;

          if (open == r->unclosed_at)
            return csv_unclosed (r);

          r->pos++;
          while (r->pos < n)
            {
              span = r->pos;
              while (r->pos < n && d[r->pos] != '"' && d[r->pos] != '\n' && d[r->pos] != '\r')
                r->pos++;
              g_string_append_len (cell, d + span, r->pos - span);
              if (r->pos >= n)
                break;
              if (d[r->pos] == '"')
                {
                  if (r->pos + 1 < n && d[r->pos + 1] == '"')
                    {
                      g_string_append_c (cell, '"');
                      r->pos += 2;
                      continue;
                    }
                  r->pos++;
                  closed = TRUE;
                  break;
                }
              /* A line break inside quotes belongs to the cell. */
              span = r->pos;
              csv_skip_line_end (r);
              g_string_append_len (cell, d + span, r->pos - span);
            }
          if (!closed)
            {
              /* Every later opening quote closes (quotes after this one
               * all come in pairs), except this one read again. */
              r->unclosed_at = open;
              return csv_unclosed (r);
            }
        }

      /* Unquoted text, or what follows a closing quote. */
      span = r->pos;
      while (r->pos < n && d[r->pos] != r->delimiter && d[r->pos] != '\n' && d[r->pos] != '\r')
        r->pos++;
      g_string_append_len (cell, d + span, r->pos - span);

      if (r->pos < n && d[r->pos] == r->delimiter)
        {
          r->pos++;
          continue;
        }
      r->row_end = r->pos;
      csv_skip_line_end (r);
      return CSV_ROW;
    }
}

static gboolean
cell_is_blank (GString *cell)
{
  for (gsize i = 0; i < cell->len; i++)
    if (!g_ascii_isspace (cell->str[i]))
      return FALSE;
  return TRUE;
}

static gboolean
row_is_blank (CsvReader *r)
{
  for (guint i = 0; i < r->n_cells; i++)
    if (!cell_is_blank (g_ptr_array_index (r->cells, i)))
      return FALSE;
  return TRUE;
}

/* The delimiter of the header row: the more frequent of , and ; outside
 * quotes (ties go to the comma). */
static char
detect_delimiter (const char *data,
                  gsize       length,
                  gsize       start)
{
  gboolean quoted = FALSE;
  guint commas = 0, semicolons = 0;

  for (gsize i = start; i < length; i++)
    {
      char c = data[i];

      if (c == '"')
        quoted = !quoted;
      else if (!quoted && (c == '\n' || c == '\r'))
        break;
      else if (!quoted && c == ',')
        commas++;
      else if (!quoted && c == ';')
        semicolons++;
    }
  return semicolons > commas ? ';' : ',';
}

/* ---- Cells ---- */

static gboolean
starts_address (const char *p)
{
  static const char * const prefixes[] = { "http://", "https://", "file://", "/", "./", "../", "~/" };

  for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
    if (g_ascii_strncasecmp (p, prefixes[i], strlen (prefixes[i])) == 0)
      return TRUE;
  return FALSE;
}

/* The length of the white space or | at @p, or 0. */
static gsize
separator_length (const char *p)
{
  guchar c = *p;
  gunichar u;

  if (c < 0x80)
    return (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == '|') ? 1 : 0;
  u = g_utf8_get_char (p);
  if (g_unichar_isspace (u) || u == 0x00a0 || u == 0x200b || u == 0xfeff)
    return g_utf8_next_char (p) - p;
  return 0;
}

static char *resolve_address (char       *text,
                              const char *base_dir);

/* Splits an images cell (valid UTF-8) into addresses, as described at the
 * top of this file, and resolves each. */
static void
split_addresses (const char *cell,
                 const char *base_dir,
                 GPtrArray  *out)
{
  const char *p = cell;
  const char *start = NULL;

  for (;;)
    {
      gsize skip;
      gboolean split;

      /* Most bytes are plain ASCII inside an address. */
      if (start != NULL)
        while (g_ascii_isgraph (*p) && *p != '|' && *p != ',' && *p != ';')
          p++;

      skip = separator_length (p);
      split = skip > 0 || *p == '\0';
      if (*p == ',' || *p == ';')
        {
          const char *next = p + 1;

          skip = 1;
          split = *next == '\0' || *next == ',' || *next == ';' ||
                  separator_length (next) > 0 || starts_address (next);
        }

      if (split && start != NULL)
        {
          g_ptr_array_add (out, resolve_address (g_strndup (start, p - start), base_dir));
          start = NULL;
        }
      else if (!split && start == NULL)
        start = p;

      if (*p == '\0')
        break;
      p += skip > 0 ? skip : (gsize) (g_utf8_next_char (p) - p);
    }
}

/**
 * resolve_address:
 * @text: (transfer full): one address from the CSV, trimmed
 * @base_dir: the CSV's folder
 *
 * Local paths become file:// URIs: absolute, from the home folder (~/), or
 * relative to the CSV's folder (./, ../), so a CSV next to its photos works
 * from anywhere. (oip_url_local_file_uri() does the same for a path typed
 * by the seller, relative to the working directory.)
 *
 * Returns: (transfer full): a file:// URI, or @text as written
 */
static char *
resolve_address (char       *text,
                 const char *base_dir)
{
  g_autofree char *path = NULL;
  g_autofree char *local = NULL;
  g_autofree char *canonical = NULL;
  char *uri;

  if (text[0] == '/' && text[1] != '/')
    path = g_strdup (text);
  else if (text[0] == '~' && text[1] == '/')
    path = g_build_filename (g_get_home_dir (), text + 2, NULL);
  else if (text[0] == '.' && (text[1] == '/' || (text[1] == '.' && text[2] == '/')))
    path = g_build_filename (base_dir, text, NULL);
  else
    return text;

  local = g_filename_from_utf8 (path, -1, NULL, NULL, NULL);
  if (local == NULL)
    return text;
  canonical = g_canonicalize_filename (local, NULL);
  uri = g_filename_to_uri (canonical, NULL, NULL);
  if (uri == NULL)
    return text;
  g_free (text);
  return uri;
}

/* ---- Identifiers ---- */

static gboolean
looks_shortened (const char *text)
{
  /* A spreadsheet shows a long number as 1,73E+09 and may export it so. */
  return g_ascii_isdigit (text[0]) && (strstr (text, "E+") != NULL || strstr (text, "e+") != NULL);
}

/* Returns the identifier in its canonical form, or NULL with a problem. */
static char *
check_identifier (CsvParse   *parse,
                  const char *value,
                  guint       line,
                  const char *where)
{
  char *reason = NULL;
  gint64 number;
  gboolean digits = TRUE;

  if (parse->id_column == COL_OFFER_ID)
    {
      if (!oip_bulk_check_offer_id (value, &reason))
        {
          oip_bulk_add_problem (parse->input->problems, line, where, "bad_identifier", "%s", reason);
          g_free (reason);
          return NULL;
        }
      return g_strdup (value);
    }

  for (const char *p = value; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p))
      digits = FALSE;

  if (digits && g_ascii_string_to_signed (value, 10, 1, G_MAXINT64, &number, NULL))
    return g_strdup_printf ("%" G_GINT64_FORMAT, number);

  if (looks_shortened (value))
    oip_bulk_add_problem (parse->input->problems, line, where, "bad_identifier",
                          _("“%s” looks like a number the spreadsheet shortened. Format the %s column as text and export the file again."),
                          value, column_names[parse->id_column]);
  else if (parse->id_column == COL_PRODUCT_ID)
    oip_bulk_add_problem (parse->input->problems, line, where, "bad_identifier",
                          _("“%s” is not a product ID: it must be a whole number above zero."), value);
  else
    oip_bulk_add_problem (parse->input->problems, line, where, "bad_identifier",
                          _("“%s” is not a SKU: it must be a whole number above zero."), value);
  return NULL;
}

/* ---- Rows ---- */

static char *
cell_text (CsvParse  *parse,
           CsvReader *r,
           Column     column)
{
  int index = parse->columns[column];
  GString *cell;

  if (index < 0 || (guint) index >= r->n_cells)
    return g_strdup ("");
  cell = g_ptr_array_index (r->cells, index);
  return oip_bulk_strip (cell->str, cell->len);
}

static char *
cell_address (CsvParse  *parse,
              CsvReader *r,
              Column     column)
{
  char *text = cell_text (parse, r, column);

  if (*text == '\0')
    {
      g_free (text);
      return NULL;
    }
  return resolve_address (text, parse->base_dir);
}

static void
set_primary (Product    *product,
             char       *primary,
             guint       line,
             const char *where)
{
  if (primary == NULL)
    return;
  if (product->primary == NULL)
    {
      product->primary = primary;
      product->primary_line = line;
      return;
    }
  if (strcmp (product->primary, primary) != 0)
    oip_bulk_add_problem (product->entry->problems, line, where, "conflicting_primary",
                          _("The main image “%s” differs from “%s” on line %u; the first one is kept."),
                          primary, product->primary, product->primary_line);
  g_free (primary);
}

static void
set_color (Product    *product,
           char       *color,
           guint       line,
           const char *where)
{
  OipBulkEntry *entry = product->entry;

  if (color == NULL)
    return;
  if (entry->color_image == NULL)
    {
      entry->color_image = color;
      product->color_line = line;
      return;
    }
  if (strcmp (entry->color_image, color) != 0)
    oip_bulk_add_problem (entry->problems, line, where, "conflicting_color",
                          _("The color image “%s” differs from “%s” on line %u; the first one is kept."),
                          color, entry->color_image, product->color_line);
  g_free (color);
}

static Product *
product_new (CsvParse   *parse,
             const char *value,
             guint       line,
             const char *where)
{
  Product *product = g_new0 (Product, 1);
  OipProductKey key = parse->id_column == COL_OFFER_ID ? OIP_PRODUCT_KEY_OFFER_ID
                      : parse->id_column == COL_PRODUCT_ID ? OIP_PRODUCT_KEY_PRODUCT_ID
                      : OIP_PRODUCT_KEY_SKU;

  product->entry = oip_bulk_entry_new (key, value, line, where);
  if (parse->per_image)
    {
      product->pending = g_array_new (FALSE, FALSE, sizeof (PendingImage));
      g_array_set_clear_func (product->pending, pending_image_clear);
    }
  g_ptr_array_add (parse->products, product);
  g_hash_table_insert (parse->by_value, product->entry->value, product);
  return product;
}

/* One row per product: a repeated identifier is left out. */
static void
read_product_row (CsvParse   *parse,
                  CsvReader  *r,
                  const char *value,
                  const char *where)
{
  Product *product = g_hash_table_lookup (parse->by_value, value);
  g_autoptr(GPtrArray) tokens = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *images = NULL;
  char *primary;

  if (product != NULL)
    {
      oip_bulk_add_problem (parse->input->problems, r->row_line, where, "duplicate_identifier",
                            _("“%s” already appeared on line %u; this row is skipped."),
                            value, product->entry->line);
      return;
    }

  images = cell_text (parse, r, parse->image_column);
  split_addresses (images, parse->base_dir, tokens);
  primary = cell_address (parse, r, COL_PRIMARY);
  if (tokens->len == 0 && primary == NULL)
    {
      /* Not remembered: a later row for the same product is the one. */
      oip_bulk_add_problem (parse->input->problems, r->row_line, where, "no_images",
                            _("“%s” has no images; it is skipped."), value);
      return;
    }

  product = product_new (parse, value, r->row_line, where);
  g_ptr_array_extend_and_steal (product->entry->images, g_steal_pointer (&tokens));
  set_primary (product, primary, r->row_line, where);
  set_color (product, cell_address (parse, r, COL_COLOR), r->row_line, where);
}

/* One row per image: rows of a product gather, in any order. */
static void
read_image_row (CsvParse   *parse,
                CsvReader  *r,
                const char *value,
                const char *where)
{
  Product *product;
  g_autofree char *image = cell_address (parse, r, parse->image_column);
  g_autofree char *position_text = cell_text (parse, r, COL_POSITION);
  guint64 position = 0;

  if (*position_text != '\0' &&
      !g_ascii_string_to_unsigned (position_text, 10, 0, G_MAXUINT32, &position, NULL))
    {
      oip_bulk_add_problem (parse->input->problems, r->row_line, where, "bad_position",
                            _("The position “%s” is not a whole number; the row is skipped."),
                            position_text);
      return;
    }
  if (image != NULL && *position_text == '\0')
    {
      oip_bulk_add_problem (parse->input->problems, r->row_line, where, "missing_position",
                            _("The image has no position; the row is skipped."));
      return;
    }

  product = g_hash_table_lookup (parse->by_value, value);
  if (product == NULL)
    product = product_new (parse, value, r->row_line, where);

  if (image != NULL)
    {
      PendingImage pending = { (guint) position, r->row_line, g_steal_pointer (&image) };
      g_array_append_val (product->pending, pending);
    }
  set_primary (product, cell_address (parse, r, COL_PRIMARY), r->row_line, where);
  set_color (product, cell_address (parse, r, COL_COLOR), r->row_line, where);
}

static char *
where_at (CsvParse *parse,
          guint     line)
{
  return g_strdup_printf ("%s:%u", parse->name, line);
}

static void
read_row (CsvParse  *parse,
          CsvReader *r)
{
  g_autofree char *where = where_at (parse, r->row_line);
  g_autofree char *raw = NULL;
  g_autofree char *value = NULL;

  if (!g_utf8_validate_len (r->data + r->row_start, r->row_end - r->row_start, NULL))
    {
      oip_bulk_add_problem (parse->input->problems, r->row_line, where, "invalid_utf8",
                            _("The row is not UTF-8 text and is skipped. Save the file as “CSV UTF-8”."));
      return;
    }

  if (r->n_cells != parse->n_header)
    {
      /* Empty cells after the last column (a trailing delimiter), or no
       * cells for trailing columns without a name, are harmless; anything
       * else means the columns have shifted. */
      gboolean harmless = r->n_cells >= parse->n_named;

      for (guint i = parse->n_header; harmless && i < r->n_cells; i++)
        harmless = cell_is_blank (g_ptr_array_index (r->cells, i));
      if (!harmless)
        {
          oip_bulk_add_problem (parse->input->problems, r->row_line, where, "field_count",
                                _("The row has the wrong number of cells: %u, where the header has %u. It is skipped."),
                                r->n_cells, parse->n_header);
          return;
        }
    }

  raw = cell_text (parse, r, parse->id_column);
  if (*raw == '\0')
    {
      oip_bulk_add_problem (parse->input->problems, r->row_line, where, "empty_identifier",
                            _("The %s cell is empty; the row is skipped."),
                            column_names[parse->id_column]);
      return;
    }
  value = check_identifier (parse, raw, r->row_line, where);
  if (value == NULL)
    return;

  if (parse->per_image)
    read_image_row (parse, r, value, where);
  else
    read_product_row (parse, r, value, where);
}

/* ---- Header ---- */

static char *
normalize_column_name (GString *cell)
{
  g_autofree char *valid = g_utf8_make_valid (cell->str, cell->len);
  g_autofree char *stripped = oip_bulk_strip (valid, -1);
  char *name = g_ascii_strdown (stripped, -1);

  for (char *p = name; *p != '\0'; p++)
    if (*p == ' ' || *p == '-')
      *p = '_';
  return name;
}

static gboolean
read_header (CsvParse   *parse,
             CsvReader  *r,
             GError    **error)
{
  g_autofree char *where = where_at (parse, r->row_line);
  int id_columns = 0;

  parse->n_header = r->n_cells;
  for (guint i = 0; i < N_COLUMNS; i++)
    parse->columns[i] = -1;

  for (guint i = 0; i < r->n_cells; i++)
    {
      g_autofree char *name = normalize_column_name (g_ptr_array_index (r->cells, i));
      gboolean known = FALSE;

      if (*name == '\0')
        continue;
      parse->n_named = i + 1;
      for (guint c = 0; c < N_COLUMNS; c++)
        if (strcmp (name, column_names[c]) == 0)
          {
            if (parse->columns[c] >= 0)
              {
                g_set_error (error, OIP_ERROR, OIP_ERROR_INVALID_REQUEST,
                             _("The column “%s” appears twice in the header row."), name);
                return FALSE;
              }
            parse->columns[c] = i;
            known = TRUE;
          }
      if (!known)
        oip_bulk_add_problem (parse->input->problems, r->row_line, where, "unknown_column",
                              _("The column “%s” is not one this app reads; it is ignored."), name);
    }

  for (Column c = COL_OFFER_ID; c <= COL_SKU; c++)
    if (parse->columns[c] >= 0)
      {
        if (id_columns++ == 0)
          parse->id_column = c;
      }
  if (id_columns == 0)
    {
      g_set_error_literal (error, OIP_ERROR, OIP_ERROR_INVALID_REQUEST,
                           _("The first row must name the columns: offer_id (or product_id, or sku) and images."));
      return FALSE;
    }
  if (id_columns > 1)
    {
      g_set_error_literal (error, OIP_ERROR, OIP_ERROR_INVALID_REQUEST,
                           _("The header row has more than one identifier column. Keep one of offer_id, product_id and sku."));
      return FALSE;
    }

  if (parse->columns[COL_IMAGES] >= 0 && parse->columns[COL_IMAGE] >= 0)
    {
      g_set_error_literal (error, OIP_ERROR, OIP_ERROR_INVALID_REQUEST,
                           _("The header row has both an image and an images column. Keep one of them."));
      return FALSE;
    }
  if (parse->columns[COL_IMAGES] < 0 && parse->columns[COL_IMAGE] < 0)
    {
      g_set_error_literal (error, OIP_ERROR, OIP_ERROR_INVALID_REQUEST,
                           _("The header row has no images column (images, or image with position)."));
      return FALSE;
    }
  parse->image_column = parse->columns[COL_IMAGES] >= 0 ? COL_IMAGES : COL_IMAGE;
  parse->per_image = parse->columns[COL_POSITION] >= 0;
  return TRUE;
}

/* ---- The whole file ---- */

static gboolean
check_text (const guint8  *data,
            gsize          length,
            GError       **error)
{
  static const guint8 zip[] = { 'P', 'K', 3, 4 };
  static const guint8 ole[] = { 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1 };

  if ((length >= sizeof zip && memcmp (data, zip, sizeof zip) == 0) ||
      (length >= sizeof ole && memcmp (data, ole, sizeof ole) == 0))
    {
      g_set_error_literal (error, OIP_ERROR, OIP_ERROR_INVALID_REQUEST,
                           _("This is a spreadsheet workbook, not a CSV file. Save it as “CSV UTF-8” and choose that file."));
      return FALSE;
    }
  if (length >= 2 &&
      ((data[0] == 0xff && data[1] == 0xfe) || (data[0] == 0xfe && data[1] == 0xff) ||
       (data[0] != 0 && data[1] == 0) || (data[0] == 0 && data[1] != 0)))
    {
      g_set_error_literal (error, OIP_ERROR, OIP_ERROR_INVALID_REQUEST,
                           _("This file is UTF-16 text. Save it as “CSV UTF-8” and try again."));
      return FALSE;
    }
  if (memchr (data, 0, length) != NULL)
    {
      g_set_error_literal (error, OIP_ERROR, OIP_ERROR_INVALID_REQUEST,
                           _("This is not a CSV file: it holds binary data."));
      return FALSE;
    }
  return TRUE;
}

static gint
compare_pending (gconstpointer a,
                 gconstpointer b)
{
  const PendingImage *pa = a, *pb = b;

  if (pa->position != pb->position)
    return pa->position < pb->position ? -1 : 1;
  return pa->line < pb->line ? -1 : (pa->line > pb->line ? 1 : 0);
}

/* Images in their final order, main first; FALSE if there are none. */
static gboolean
finish_product (CsvParse *parse,
                Product  *product)
{
  OipBulkEntry *entry = product->entry;

  if (product->pending != NULL)
    {
      g_array_sort (product->pending, compare_pending);
      for (guint i = 0; i < product->pending->len; i++)
        {
          PendingImage *pending = &g_array_index (product->pending, PendingImage, i);

          if (i > 0 && g_array_index (product->pending, PendingImage, i - 1).position == pending->position)
            {
              g_autofree char *where = where_at (parse, pending->line);

              oip_bulk_add_problem (entry->problems, pending->line, where, "duplicate_position",
                                    _("Position %u is given twice (lines %u and %u); those images keep the order of the rows."),
                                    pending->position,
                                    g_array_index (product->pending, PendingImage, i - 1).line,
                                    pending->line);
            }
          g_ptr_array_add (entry->images, g_steal_pointer (&pending->address));
        }
    }

  if (product->primary != NULL)
    {
      for (guint i = entry->images->len; i > 0; i--)
        if (strcmp (g_ptr_array_index (entry->images, i - 1), product->primary) == 0)
          g_ptr_array_remove_index (entry->images, i - 1);
      g_ptr_array_insert (entry->images, 0, g_steal_pointer (&product->primary));
    }

  if (entry->images->len == 0)
    {
      oip_bulk_add_problem (parse->input->problems, entry->line, entry->where, "no_images",
                            _("“%s” has no images; it is skipped."), entry->value);
      return FALSE;
    }
  return TRUE;
}

static gint
compare_problem_lines (gconstpointer a,
                       gconstpointer b)
{
  const OipBulkProblem *pa = *(OipBulkProblem * const *) a;
  const OipBulkProblem *pb = *(OipBulkProblem * const *) b;

  return pa->line < pb->line ? -1 : (pa->line > pb->line ? 1 : 0);
}

static char *
csv_display_name (GFile *csv_file)
{
  g_autofree char *basename = NULL;

  if (csv_file == NULL || (basename = g_file_get_basename (csv_file)) == NULL)
    return g_strdup ("-");
  return g_filename_display_name (basename);
}

static char *
csv_base_dir (GFile *csv_file)
{
  g_autoptr(GFile) parent = csv_file != NULL ? g_file_get_parent (csv_file) : NULL;
  char *path = parent != NULL ? g_file_get_path (parent) : NULL;

  if (path == NULL)
    path = g_get_current_dir ();
  return path;
}

/**
 * oip_bulk_input_parse_csv:
 * @data: the file's bytes
 * @length: how many
 * @csv_file: (nullable): where they came from: its name goes into problem
 *   locations, and relative paths in it are relative to its folder (to the
 *   working directory if %NULL)
 * @error: return location for an %OIP_ERROR_INVALID_REQUEST error
 *
 * Reads a CSV of products and their images, without reading any other
 * file. The format:
 *
 * - UTF-8 (a byte order mark is fine), comma- or semicolon-separated
 *   (whichever the header row has more of; an Excel “sep=;” first line is
 *   understood), RFC 4180 quotes, CRLF, LF or CR line ends;
 * - a header row whose names are matched without regard to case, spaces or
 *   hyphens: exactly one of offer_id, product_id, sku; images (several
 *   addresses in a cell, one row per product) or image/images with
 *   position (one row per image, in any order); optional primary_image
 *   (moved or added to the front) and color_image. Unknown columns are
 *   reported once and ignored; blank rows are skipped.
 * - In an images cell, addresses are separated by white space and |, and
 *   by , or ; followed by white space, the end of the cell or another
 *   address.
 * - Local paths (/…, ./…, ../…, ~/…) become file:// URIs; other addresses
 *   are kept as written.
 *
 * A bad row is reported with its line (the physical line where it starts)
 * and left out; it never stops the others. Product IDs and SKUs are kept in
 * canonical decimal form. There may be more images per product than Ozon
 * takes: they are all kept, in order.
 *
 * Returns: (transfer full): the products and problems, or %NULL if @data is
 *   not a CSV of products at all (empty, binary, no identifier or images
 *   column)
 */
OipBulkInput *
oip_bulk_input_parse_csv (const char  *data,
                          gsize        length,
                          GFile       *csv_file,
                          GError     **error)
{
  static const guint8 bom[] = { 0xef, 0xbb, 0xbf };
  g_autoptr(OipBulkInput) input = oip_bulk_input_new ();
  g_autoptr(GPtrArray) products = g_ptr_array_new_with_free_func ((GDestroyNotify) product_free);
  g_autoptr(GHashTable) by_value = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (cell_free);
  g_autofree char *name = csv_display_name (csv_file);
  g_autofree char *base_dir = csv_base_dir (csv_file);
  CsvParse parse = { 0 };
  CsvReader r = { 0 };
  CsvStatus status;
  gboolean blank = TRUE;
  guint data_rows = 0;

  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (csv_file == NULL || G_IS_FILE (csv_file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length >= sizeof bom && memcmp (data, bom, sizeof bom) == 0)
    {
      data += sizeof bom;
      length -= sizeof bom;
    }
  for (gsize i = 0; i < length && blank; i++)
    blank = g_ascii_isspace (data[i]);
  if (blank)
    {
      g_set_error_literal (error, OIP_ERROR, OIP_ERROR_INVALID_REQUEST, _("The file is empty."));
      return NULL;
    }
  if (!check_text ((const guint8 *) data, length, error))
    return NULL;

  parse.name = name;
  parse.base_dir = base_dir;
  parse.products = products;
  parse.by_value = by_value;
  parse.input = input;

  r.data = data;
  r.length = length;
  r.line = 1;
  r.unclosed_at = G_MAXSIZE;
  r.cells = cells;

  /* Blank lines before the header, then Excel's “sep=;”. */
  for (;;)
    {
      gsize p = r.pos;

      while (p < length && (data[p] == ' ' || data[p] == '\t'))
        p++;
      if (p >= length || (data[p] != '\r' && data[p] != '\n'))
        break;
      r.pos = p;
      csv_skip_line_end (&r);
    }
  if (length - r.pos >= 5 && g_ascii_strncasecmp (data + r.pos, "sep=", 4) == 0 &&
      (data[r.pos + 4] == ',' || data[r.pos + 4] == ';') &&
      (length - r.pos == 5 || data[r.pos + 5] == '\r' || data[r.pos + 5] == '\n'))
    {
      r.delimiter = data[r.pos + 4];
      r.pos += 5;
      csv_skip_line_end (&r);
    }
  else
    r.delimiter = detect_delimiter (data, length, r.pos);

  status = csv_read_row (&r);
  if (status != CSV_ROW)
    {
      g_set_error_literal (error, OIP_ERROR, OIP_ERROR_INVALID_REQUEST,
                           _("The first row must name the columns: offer_id (or product_id, or sku) and images."));
      return NULL;
    }
  if (!read_header (&parse, &r, error))
    return NULL;

  while ((status = csv_read_row (&r)) != CSV_END)
    {
      if (status == CSV_UNCLOSED)
        {
          g_autofree char *where = where_at (&parse, r.row_line);

          oip_bulk_add_problem (input->problems, r.row_line, where, "unclosed_quote",
                                _("A quoted cell that starts in this row never ends; the row is skipped."));
          continue;
        }
      if (!row_is_blank (&r))
        {
          data_rows++;
          read_row (&parse, &r);
        }
    }

  for (guint i = 0; i < products->len; i++)
    {
      Product *product = g_ptr_array_index (products, i);

      if (finish_product (&parse, product))
        g_ptr_array_add (input->entries, g_steal_pointer (&product->entry));
    }
  /* Problems in the order of the file, the header's first. */
  g_ptr_array_sort (input->problems, compare_problem_lines);

  if (data_rows == 0)
    oip_bulk_add_problem (input->problems, 0, name, "no_rows",
                          _("There are no products below the header row."));

  return g_steal_pointer (&input);
}

/* ---- Reading a file ---- */

/* Sizes of the local files, and the ones that are not there, for the
 * review; a worker thread does it, never the main loop. */
static void
check_local_files (OipBulkInput *input,
                   GCancellable *cancellable)
{
  for (guint i = 0; i < input->entries->len; i++)
    {
      OipBulkEntry *entry = g_ptr_array_index (input->entries, i);

      if (g_cancellable_is_cancelled (cancellable))
        return;
      for (guint j = 0; j <= entry->images->len; j++)
        {
          const char *uri = j < entry->images->len ? g_ptr_array_index (entry->images, j)
                                                  : entry->color_image;
          g_autofree char *path = NULL;
          g_autofree char *shown = NULL;
          GStatBuf buf;

          if (uri == NULL || !oip_url_is_local_file (uri) ||
              (path = g_filename_from_uri (uri, NULL, NULL)) == NULL)
            continue;
          shown = g_filename_display_name (path);
          if (g_stat (path, &buf) != 0)
            oip_bulk_add_problem (entry->problems, entry->line, entry->where, "file_missing",
                                  _("The file %s does not exist."), shown);
          else if (!S_ISREG (buf.st_mode))
            oip_bulk_add_problem (entry->problems, entry->line, entry->where, "not_a_file",
                                  _("%s is not a file."), shown);
          else
            entry->local_bytes += buf.st_size;
        }
    }
}

static void
read_csv_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  GFile *file = task_data;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GByteArray) buffer = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *name = csv_display_name (file);
  OipBulkInput *input;

  stream = g_file_read (file, cancellable, &error);
  while (stream != NULL)
    {
      gsize old = buffer->len;
      gssize got;

      /* Bounded: a FIFO or /dev/zero must not fill the memory. */
      g_byte_array_set_size (buffer, old + 64 * 1024);
      got = g_input_stream_read (G_INPUT_STREAM (stream), buffer->data + old, 64 * 1024,
                                 cancellable, &error);
      g_byte_array_set_size (buffer, got > 0 ? old + got : old);
      if (got <= 0)
        break;
      if (buffer->len > OIP_BULK_CSV_MAX_SIZE)
        {
          g_autofree char *limit = g_format_size_full (OIP_BULK_CSV_MAX_SIZE, G_FORMAT_SIZE_IEC_UNITS);

          g_task_return_new_error (task, OIP_ERROR, OIP_ERROR_INVALID_REQUEST,
                                   _("%s is larger than %s. Split it into smaller files."), name, limit);
          return;
        }
    }
  if (error != NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, OIP_ERROR, OIP_ERROR_IO, _("Could not read %s: %s"), name, error->message);
      return;
    }

  input = oip_bulk_input_parse_csv ((const char *) buffer->data, buffer->len, file, &error);
  if (input == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  check_local_files (input, cancellable);
  if (g_task_return_error_if_cancelled (task))
    {
      oip_bulk_input_free (input);
      return;
    }
  g_task_return_pointer (task, input, (GDestroyNotify) oip_bulk_input_free);
}

/**
 * oip_bulk_input_read_csv_async:
 * @file: a CSV file
 * @cancellable: (nullable): to stop
 * @callback: called with the result
 * @user_data: for @callback
 *
 * Reads @file (at most %OIP_BULK_CSV_MAX_SIZE bytes), parses it with
 * oip_bulk_input_parse_csv() and adds up the size of the local files it
 * names (reporting the ones that are missing), all in a worker thread.
 */
void
oip_bulk_input_read_csv_async (GFile               *file,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, oip_bulk_input_read_csv_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, read_csv_thread);
}

/**
 * oip_bulk_input_read_csv_finish:
 * @result: what the callback got
 * @error: return location for an %OIP_ERROR_IO or
 *   %OIP_ERROR_INVALID_REQUEST error, or %G_IO_ERROR_CANCELLED
 *
 * Returns: (transfer full): the products and problems, or %NULL
 */
OipBulkInput *
oip_bulk_input_read_csv_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == oip_bulk_input_read_csv_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
