package dev.falclient.sample;

import org.springframework.http.MediaType;
import org.springframework.http.codec.multipart.FilePart;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Image-to-image on an uploaded picture (see "The sample app" in the README).
 *
 * <pre>
 * POST /edits   multipart/form-data: image (file), prompt (text)  -> 200 {"uploadedUrl", "endpointId", "output"}
 * </pre>
 */
@RestController
@RequestMapping("/edits")
public class EditController {

    private final EditService edits;

    public EditController(EditService edits) {
        this.edits = edits;
    }

    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    public Mono<EditService.Edited> edit(@RequestPart(name = "image", required = false) FilePart image,
                                         @RequestPart(name = "prompt", required = false) String prompt) {
        return edits.edit(image, prompt);
    }
}
