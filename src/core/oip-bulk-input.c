/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The types a bulk input is read into, and the rules shared by the CSV
 * reader (oip-bulk-csv.c) and the folder reader (oip-bulk-folder.c).
 *
 * Problem codes (OipBulkProblem.code), stable for scripts and tests:
 *
 * Rows and files left out (OipBulkInput.problems):
 *   empty_identifier      a CSV row without offer ID / product ID / SKU
 *   bad_identifier        not a positive int64 product ID or SKU, or an
 *                         offer ID Ozon cannot have (empty, too long,
 *                         control characters, not UTF-8)
 *   duplicate_identifier  the product already came earlier (the first wins)
 *   field_count           a CSV row with more or fewer cells than the header
 *   invalid_utf8          a CSV row that is not UTF-8
 *   unclosed_quote        a CSV row whose quoted cell never ends
 *   bad_position          a position that is not a whole number
 *   missing_position      an image without a position (one row per image)
 *   no_images             a product with no images at all
 *   outside_product       a file directly in the folder of product folders
 *   symlinked_folder      a link to a folder (never followed)
 *   nested_folder         a folder inside a product folder (not read)
 *   not_a_picture         not JPEG, PNG, WebP or HEIC by content
 *   broken_link           a link to nothing
 *   unreadable            a file or folder that could not be read
 *   bad_sidecar           ozon.json unreadable, or naming a missing main
 *                         image: the product is left out rather than pushed
 *                         with a main image the seller did not choose
 * Notices about the whole input (OipBulkInput.problems):
 *   unknown_column        a CSV column this reader does not know (ignored)
 *   no_rows               a CSV with a header and no products
 *   one_product_folder    the folder holds pictures, not product folders,
 *                         and is read as one product named after it
 *   no_product_folders    nothing to read in the folder
 * About a product that stays in the list (OipBulkEntry.problems):
 *   conflicting_primary   rows of a product disagree on primary_image
 *   conflicting_color     rows of a product disagree on color_image
 *   duplicate_position    two images of a product share a position
 *   file_missing          a local file named in the CSV does not exist
 *   not_a_file            a local path in the CSV is not a regular file
 *   duplicate_main        two main.* files (the first is the main image)
 *   duplicate_color       two color.* files (the first is the color image)
 *   sidecar_unknown_key   ozon.json has a key this reader ignores
 *   sidecar_missing_file  ozon.json names a picture that is not there
 *   sidecar_unlisted      pictures missing from ozon.json's order (added
 *                         at the end)
 */
#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "oip-bulk-input-private.h"

void
oip_bulk_problem_free (OipBulkProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->where);
  g_free (problem->message);
  g_free (problem);
}

void
oip_bulk_entry_free (OipBulkEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->value);
  g_clear_pointer (&entry->images, g_ptr_array_unref);
  g_free (entry->color_image);
  g_free (entry->where);
  g_clear_pointer (&entry->problems, g_ptr_array_unref);
  g_free (entry);
}

/**
 * oip_bulk_input_free:
 * @input: (nullable): what a reader returned
 *
 * Frees @input with its entries and problems.
 */
void
oip_bulk_input_free (OipBulkInput *input)
{
  if (input == NULL)
    return;
  g_clear_pointer (&input->entries, g_ptr_array_unref);
  g_clear_pointer (&input->problems, g_ptr_array_unref);
  g_free (input);
}

OipBulkInput *
oip_bulk_input_new (void)
{
  OipBulkInput *input = g_new0 (OipBulkInput, 1);

  input->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) oip_bulk_entry_free);
  input->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) oip_bulk_problem_free);
  return input;
}

OipBulkEntry *
oip_bulk_entry_new (OipProductKey  key,
                    const char    *value,
                    guint          line,
                    const char    *where)
{
  OipBulkEntry *entry = g_new0 (OipBulkEntry, 1);

  entry->key = key;
  entry->value = g_strdup (value);
  entry->images = g_ptr_array_new_with_free_func (g_free);
  entry->line = line;
  entry->where = g_strdup (where);
  entry->problems = g_ptr_array_new_with_free_func ((GDestroyNotify) oip_bulk_problem_free);
  return entry;
}

void
oip_bulk_add_problem (GPtrArray  *problems,
                      guint       line,
                      const char *where,
                      const char *code,
                      const char *format,
                      ...)
{
  OipBulkProblem *problem = g_new0 (OipBulkProblem, 1);
  va_list args;

  problem->line = line;
  problem->where = g_strdup (where);
  problem->code = code;
  va_start (args, format);
  problem->message = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (problems, problem);
}

/**
 * oip_bulk_input_find:
 * @input: a bulk input
 * @value: an identifier
 *
 * Looks through the entries one by one.
 *
 * Returns: (transfer none) (nullable): the entry for @value
 */
OipBulkEntry *
oip_bulk_input_find (OipBulkInput *input,
                     const char   *value)
{
  g_return_val_if_fail (input != NULL, NULL);
  g_return_val_if_fail (value != NULL, NULL);

  for (guint i = 0; i < input->entries->len; i++)
    {
      OipBulkEntry *entry = g_ptr_array_index (input->entries, i);

      if (g_strcmp0 (entry->value, value) == 0)
        return entry;
    }
  return NULL;
}

/**
 * oip_bulk_input_count_problems:
 *
 * Returns: the problems of the input and of all its entries together
 */
guint
oip_bulk_input_count_problems (OipBulkInput *input)
{
  guint count;

  g_return_val_if_fail (input != NULL, 0);

  count = input->problems->len;
  for (guint i = 0; i < input->entries->len; i++)
    count += ((OipBulkEntry *) g_ptr_array_index (input->entries, i))->problems->len;
  return count;
}

static gboolean
is_blank (gunichar c)
{
  /* Spreadsheets leave no-break and zero-width spaces around values. */
  return g_unichar_isspace (c) || c == 0x00a0 || c == 0x200b || c == 0xfeff;
}

/**
 * oip_bulk_strip:
 * @text: valid UTF-8
 * @length: bytes of @text, or -1 if it is nul-terminated
 *
 * Returns: a copy of @text without white space (Unicode's, with no-break
 *   and zero-width spaces) at either end
 */
char *
oip_bulk_strip (const char *text,
                gssize      length)
{
  const char *start = text;
  const char *end = text + (length < 0 ? strlen (text) : (gsize) length);

  while (start < end && is_blank (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);
  while (end > start)
    {
      const char *prev = g_utf8_find_prev_char (start, end);

      if (prev == NULL || !is_blank (g_utf8_get_char (prev)))
        break;
      end = prev;
    }
  return g_strndup (start, end - start);
}

/**
 * oip_bulk_check_offer_id:
 * @value: a trimmed offer ID, valid UTF-8
 * @reason: (out): why it cannot be one, translated, for the seller
 *
 * Ozon refuses offer IDs that are empty or longer than
 * %OIP_BULK_OFFER_ID_MAX_CHARS characters; control characters cannot be
 * typed in a spreadsheet or a file name on purpose.
 */
gboolean
oip_bulk_check_offer_id (const char  *value,
                         char       **reason)
{
  if (*value == '\0')
    {
      *reason = g_strdup (_("The offer ID is empty."));
      return FALSE;
    }

  for (const char *p = value; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      {
        g_autoptr(GString) shown = g_string_new (NULL);

        for (const char *q = value; *q != '\0'; q = g_utf8_next_char (q))
          {
            gunichar c = g_utf8_get_char (q);
            g_string_append_unichar (shown, g_unichar_iscntrl (c) ? 0xfffd : c);
          }
        *reason = g_strdup_printf (_("The offer ID “%s” contains control characters."), shown->str);
        return FALSE;
      }

  if (g_utf8_strlen (value, -1) > OIP_BULK_OFFER_ID_MAX_CHARS)
    {
      *reason = g_strdup_printf (_("“%s” is longer than %d characters, Ozon’s limit for an offer ID."),
                                 value, OIP_BULK_OFFER_ID_MAX_CHARS);
      return FALSE;
    }
  return TRUE;
}

static gunichar
next_char (const char **p)
{
  gunichar c = g_utf8_get_char_validated (*p, -1);

  if (c == (gunichar) -1 || c == (gunichar) -2)
    {
      /* Not UTF-8: compare the byte, never step over the end. */
      c = (guchar) **p;
      *p += 1;
      return c;
    }
  *p = g_utf8_next_char (*p);
  /* As file managers do: “1.jpg” before “1a.jpg” and “1 (2).jpg”. */
  if (c == '.')
    return 1;
  return g_unichar_tolower (c);
}

/**
 * oip_bulk_natural_compare:
 * @a: a file name
 * @b: another
 *
 * The order a person expects of numbered photos: runs of digits compare
 * as numbers (`2.jpg` before `10.jpg`), letters without regard to case,
 * the same in every locale. Names that differ only in case or leading
 * zeros still get a fixed order, so sorting is stable across runs.
 *
 * Returns: negative, zero or positive, as strcmp()
 */
int
oip_bulk_natural_compare (const char *a,
                          const char *b)
{
  const char *pa = a;
  const char *pb = b;
  int zeros = 0;

  while (*pa != '\0' && *pb != '\0')
    {
      if (g_ascii_isdigit (*pa) && g_ascii_isdigit (*pb))
        {
          const char *da, *db;
          gsize la, lb;
          int za = 0, zb = 0, cmp;

          while (*pa == '0' && g_ascii_isdigit (pa[1]))
            pa++, za++;
          while (*pb == '0' && g_ascii_isdigit (pb[1]))
            pb++, zb++;
          for (da = pa; g_ascii_isdigit (*da); da++)
            ;
          for (db = pb; g_ascii_isdigit (*db); db++)
            ;
          la = da - pa;
          lb = db - pb;
          if (la != lb)
            return la < lb ? -1 : 1;
          cmp = memcmp (pa, pb, la);
          if (cmp != 0)
            return cmp < 0 ? -1 : 1;
          if (zeros == 0 && za != zb)
            zeros = za < zb ? -1 : 1;
          pa = da;
          pb = db;
        }
      else
        {
          gunichar ca = next_char (&pa);
          gunichar cb = next_char (&pb);

          if (ca != cb)
            return ca < cb ? -1 : 1;
        }
    }
  if (*pa != '\0' || *pb != '\0')
    return *pa != '\0' ? 1 : -1;
  if (zeros != 0)
    return zeros;
  return g_strcmp0 (a, b) < 0 ? -1 : (g_strcmp0 (a, b) > 0 ? 1 : 0);
}
