/**
 * License notices of the corpora this project knows, by the corpus file's sha256 (each entry names the
 * corpus and where it came from). A model trained on one of them carries its notice in its card.
 */
export interface CorpusLicense {
  corpus: string;
  source: string;
  license: 'BSD-3-Clause';
  notice: string;
  text: string;
}

export const BSD_3_CLAUSE_TEXT = `BSD 3-Clause License

All rights reserved.

Redistribution and use in source and binary forms, with or without
modification, are permitted provided that the following conditions are met:

* Redistributions of source code must retain the above copyright notice, this
  list of conditions and the following disclaimer.

* Redistributions in binary form must reproduce the above copyright notice,
  this list of conditions and the following disclaimer in the documentation
  and/or other materials provided with the distribution.

* Neither the name of the copyright holder nor the names of its
  contributors may be used to endorse or promote products derived from
  this software without specific prior written permission.

THIS SOFTWARE IS PROVIDED BY THE COPYRIGHT HOLDERS AND CONTRIBUTORS "AS IS"
AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE
IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
DISCLAIMED. IN NO EVENT SHALL THE COPYRIGHT HOLDER OR CONTRIBUTORS BE LIABLE
FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL
DAMAGES (INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR
SERVICES; LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER
CAUSED AND ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY,
OR TORT (INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE
OF THIS SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
`;

export const corpusLicenses: Readonly<Record<string, CorpusLicense>> = {
  '7482d62b5ea931f653104a85ea434dea210cb0c9d9ff5fa6f7196b27bf4c7fbc': {
    corpus:
      'Self-dialogue Corpus (Krause et al., "Edina: Building an Open Domain Socialbot with Self-dialogues", 2017)',
    source: 'https://github.com/jfainberg/self_dialogue_corpus (commit 113a1b0ff10308f1227c13a4aaded9bc85577816)',
    license: 'BSD-3-Clause',
    notice: 'Copyright (c) 2017,',
    text: BSD_3_CLAUSE_TEXT,
  },
  '964de8322915330d4f48aa21ea14e821b2468c40d0cc1e89eb56d6818196c076': {
    corpus: 'freeCodeCamp Gitter chat history',
    source: 'https://github.com/freeCodeCamp/gitter-history (commit dfa9f2287cf20e04640646edab14e5a83a5fb0f1)',
    license: 'BSD-3-Clause',
    notice: 'Copyright (c) 2016, Free Code Camp',
    text: BSD_3_CLAUSE_TEXT,
  },
};
