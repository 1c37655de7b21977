// Polling the API until a long operation (simulation, import, ZIP check) is done.

export interface OptionsAttente {
  intervalle?: number;
  delai?: number;
  signal?: AbortSignal;
}

export class DelaiDepasse extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DelaiDepasse";
  }
}

const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Reads with `lire` until `fini` holds; each reading goes to `surLecture` (the progress). */
export async function attendre<T>(
  lire: () => Promise<T>,
  fini: (valeur: T) => boolean,
  surLecture: (valeur: T) => void,
  { intervalle = 500, delai = 120_000, signal }: OptionsAttente = {},
): Promise<T> {
  const fin = Date.now() + delai;
  for (;;) {
    if (signal?.aborted) throw new DOMException("abandon", "AbortError");
    const valeur = await lire();
    surLecture(valeur);
    if (fini(valeur)) return valeur;
    if (Date.now() > fin) {
      throw new DelaiDepasse("Le traitement prend plus de temps que prévu : revenez sur cette page dans quelques minutes.");
    }
    await pause(intervalle);
  }
}
